package dev.huddle.core.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

import dev.huddle.core.identity.WorkOsTestResource;
import dev.huddle.core.ratelimit.BoundsTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The sign-in routes' rate limits (#12). The profile trusts the local gateway for X-Forwarded-For, so each test comes
 * from client addresses of its own (documentation ranges), as browsers behind the gateway do.
 */
@QuarkusTest
@TestProfile(BoundsTestProfile.class)
class SignInLimitsTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A client address of its own (IPv6 documentation range). */
    private static String address() {
        return String.format("2001:db8::%x:%x", RANDOM.nextInt(0x10000), RANDOM.nextInt(0x10000));
    }

    private static Response callback(String from, AuthKit.Started started, String code) {
        return given().header("X-Forwarded-For", from).cookie(AuthResource.STATE_COOKIE, started.nonce())
                .queryParam("code", code).queryParam("state", started.state()).when().get("/v1/auth/callback");
    }

    private static Response logout(String from, String refreshToken) {
        return given().header("X-Forwarded-For", from).cookie(AuthResource.REFRESH_COOKIE, refreshToken)
                .when().post("/v1/auth/logout");
    }

    @Test
    void twoHundredCallbacksFromOneAddressAre429BeforeWorkOsSeesMoreThanTheLimit() {
        String from = address();
        String prefix = "FLOOD" + AuthKit.random(12).toUpperCase();
        WorkOsTestResource.server().stubFor(codesStartingWith(prefix).willReturn(AuthKit.invalidGrant("The code is invalid.")));

        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 200; i++) {
            last = callback(from, AuthKit.startLogin(), prefix + i);
            statuses.add(last.statusCode());
        }

        int limit = BoundsTestProfile.SIGN_IN_PER_ADDRESS;
        assertEquals(List.of(400), statuses.subList(0, limit).stream().distinct().toList(), statuses.toString());
        assertEquals(List.of(429), statuses.subList(limit, 200).stream().distinct().toList(), statuses.toString());
        assertEquals("application/problem+json", last.contentType());
        assertEquals("urn:huddle:problem:rate-limited", last.path("type"));
        long retryAfter = Long.parseLong(last.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3600 / limit + 1, "Retry-After " + retryAfter);
        assertEquals(limit, WorkOsTestResource.server().countRequestsMatching(postRequestedFor(urlEqualTo(AuthKit.AUTHENTICATE))
                .withRequestBody(matchingJsonPath("$.code", matching(prefix + "[0-9]+"))).build()).getCount());

        // another address is served, and refresh and logout share the address's bucket
        callback(address(), AuthKit.startLogin(), prefix + "other").then().statusCode(400);
        logout(from, AuthKit.refreshToken()).then().statusCode(429);
    }

    @Test
    void oneRefreshTokenIs429OverItsOwnLimitWhateverTheAddress() {
        String token = AuthKit.refreshToken();
        for (int i = 0; i < BoundsTestProfile.SIGN_IN_PER_CREDENTIAL; i++) {
            logout(address(), token).then().statusCode(204);
        }
        logout(address(), token).then().statusCode(429).contentType("application/problem+json");
        given().header("X-Forwarded-For", address()).cookie(AuthResource.REFRESH_COOKIE, token)
                .when().post("/v1/auth/refresh").then().statusCode(429);
        // another token is not affected
        logout(address(), AuthKit.refreshToken()).then().statusCode(204);
    }

    /** The code exchange of any code starting with {@code prefix}. */
    private static MappingBuilder codesStartingWith(String prefix) {
        return post(urlEqualTo(AuthKit.AUTHENTICATE))
                .withRequestBody(matchingJsonPath("$.grant_type", equalTo("authorization_code")))
                .withRequestBody(matchingJsonPath("$.code", matching(prefix + ".*")));
    }
}
