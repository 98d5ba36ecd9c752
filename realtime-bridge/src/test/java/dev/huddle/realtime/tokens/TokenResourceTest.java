package dev.huddle.realtime.tokens;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.huddle.realtime.CentrifugoTestResource;
import dev.huddle.testing.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class TokenResourceTest {

    /** The token's claims after checking its HS256 signature with Centrifugo's secret. */
    private static JsonObject verified(String token) throws Exception {
        Jws jws = Jws.parse(token);
        assertEquals("HS256", jws.header().getString("alg"));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(CentrifugoTestResource.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertArrayEquals(mac.doFinal(jws.signingInput()), jws.signature(), "signature");
        return jws.claims();
    }

    @Test
    void aConnectionTokenIsSignedWithTheSecretForTheCallerAndExpiresSoon() throws Exception {
        UUID org = Tenants.org("Tokens");
        var me = Tenants.memberOf(org, "member");
        var response = given().auth().oauth2(me.token())
                .when().post("/v1/realtime/orgs/{orgId}/connection-token", org)
                .then().statusCode(200).extract().jsonPath();
        JsonObject claims = verified(response.getString("token"));
        assertEquals(me.id().toString(), claims.getString("sub"));
        long now = Instant.now().getEpochSecond();
        long exp = claims.getLong("exp");
        assertTrue(exp > now + 500 && exp <= now + 601, "exp " + exp + " now " + now);
        assertTrue(Math.abs(claims.getLong("iat") - now) < 30);
        assertEquals(exp, OffsetDateTime.parse(response.getString("expiresAt")).toEpochSecond());
        assertFalse(claims.containsKey("info"));
        assertFalse(claims.containsKey("channel"));
    }

    @Test
    void aConnectionTokenNeedsAnActiveMembership() {
        UUID org = Tenants.org("Closed");
        var outsider = Tenants.memberOf(Tenants.org("Elsewhere"), "owner");
        given().auth().oauth2(outsider.token())
                .when().post("/v1/realtime/orgs/{orgId}/connection-token", org)
                .then().statusCode(404);
        given().when().post("/v1/realtime/orgs/{orgId}/connection-token", org)
                .then().statusCode(401);
    }

    @Test
    void noSubscriptionTokenIsIssuedSinceItWouldSkipTheSubscribeProxy() {
        UUID org = Tenants.org("Subs");
        var me = Tenants.memberOf(org, "member");
        given().auth().oauth2(me.token()).contentType("application/json")
                .body(new JsonObject().put("channel", "org:" + org).encode())
                .when().post("/v1/realtime/orgs/{orgId}/subscription-token", org)
                .then().statusCode(404).contentType("application/problem+json");
    }
}
