package dev.huddle.systemtests;

import static dev.huddle.systemtests.Api.await;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.huddle.systemtests.WorkOsStub.User;
import dev.huddle.testing.TestDatabase;
import io.restassured.response.Response;

/**
 * Two core-api replicas on one database, and 20 concurrent refreshes of one session spread over both; the second
 * replica is killed ({@code kill -9}) while its refreshes wait for the one WorkOS exchange the first replica makes.
 * WorkOS (whose refresh tokens are single use) is asked once; the refreshes the dead replica dropped are retried by
 * their clients at the survivor, which gives them the same new tokens; and the session lives on: its new refresh
 * token refreshes again.
 */
@ExtendWith(SystemStack.class)
class RefreshReplicaKillIT {

    static final int REFRESHES = 20;
    /** How long WorkOS takes to answer the exchange: the other refreshes wait for it meanwhile. */
    static final Duration WORKOS_DELAY = Duration.ofSeconds(4);
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void oneWorkOsExchangeAndNoSessionLostWhenAReplicaDiesDuringConcurrentRefreshes(Stack stack) throws Exception {
        User user = Tenant.syncedUser(stack, "Refresher");
        ServiceProcess survivor = stack.core;
        ServiceProcess victim = stack.replica(stack.core);
        stack.step("a second core-api replica starts on the same database", victim, () -> {
            victim.start();
            victim.awaitReady(Stack.READY_TIMEOUT);
        });
        ExecutorService clients = Executors.newFixedThreadPool(REFRESHES);
        try {
            String first = WorkOsStub.newRefreshToken();
            stack.step("the user signs in through AuthKit", survivor, () -> signIn(stack, survivor, user, first));
            String second = WorkOsStub.newRefreshToken();
            stack.workos.refreshOnce(first, user, second, WORKOS_DELAY);

            List<Future<String>> answers = new ArrayList<>();
            AtomicInteger retried = new AtomicInteger();
            answers.add(clients.submit(() -> refresh(survivor, first)));
            stack.step("the first refresh, at the survivor, is exchanging the token at WorkOS", survivor,
                    () -> await("exchange asked", WAIT, () -> stack.workos.refreshExchanges(first) == 1));
            for (int i = 1; i < REFRESHES; i++) {
                ServiceProcess to = i % 2 == 0 ? survivor : victim;
                answers.add(clients.submit(() -> refreshRetryingAt(to, survivor, first, retried)));
            }
            stack.step("every refresh reached a replica (each spent a token of the refresh token's bucket)", victim,
                    () -> await("20 refreshes taken in", WAIT, () -> callsWith(first) >= REFRESHES));
            stack.step("kill -9 the second replica while its refreshes wait", victim, victim::kill);

            stack.step("every client ends with the one new token pair", survivor, () -> {
                for (Future<String> answer : answers) {
                    assertEquals(second, result(answer), "the refresh token a client got");
                }
                assertEquals(1, stack.workos.refreshExchanges(first), "WorkOS exchanges of the token");
                assertTrue(retried.get() > 0, "the kill dropped refreshes in flight");
            });

            stack.step("the session lives on at the survivor", survivor, () -> {
                String third = WorkOsStub.newRefreshToken();
                stack.workos.refreshOnce(second, user, third, Duration.ZERO);
                assertEquals(third, refresh(survivor, second));
                assertEquals(1, stack.workos.refreshExchanges(second));
                assertEquals(1L, TestDatabase.value(
                        "SELECT count(*) FROM core.auth_sessions WHERE workos_user_id = ?", user.workosId()));
            });
        } finally {
            clients.shutdownNow();
            victim.kill();
        }
    }

    /** Signs {@code user} in at {@code replica}: AuthKit's redirect, then the callback; WorkOS issues {@code refresh}. */
    static void signIn(Stack stack, ServiceProcess replica, User user, String refresh) {
        Response login = given().baseUri(replica.baseUrl()).redirects().follow(false).get("/v1/auth/login");
        assertEquals(302, login.statusCode(), login.asString());
        String state = query(URI.create(login.header("Location")), "state");
        String nonce = login.getCookie("huddle_login_state");
        assertNotNull(nonce, "the state nonce cookie");
        Response callback = given().baseUri(replica.baseUrl()).cookie("huddle_login_state", nonce)
                .queryParam("code", stack.workos.signInCode(user, refresh)).queryParam("state", state)
                .get("/v1/auth/callback");
        assertEquals(200, callback.statusCode(), callback.asString());
        assertEquals(refresh, callback.getCookie("huddle_refresh"));
    }

    /** A refresh at {@code replica} with the cookie {@code token}; the new refresh token, from the new cookie. */
    static String refresh(ServiceProcess replica, String token) {
        Response response = given().baseUri(replica.baseUrl()).cookie("huddle_refresh", token).post("/v1/auth/refresh");
        assertEquals(200, response.statusCode(), replica.name() + ": " + response.asString());
        return response.getCookie("huddle_refresh");
    }

    /**
     * A refresh at {@code replica}; when no answer comes (the replica died), the client tries again, as a browser
     * does, at {@code survivor}, where the gateway now routes it.
     */
    static String refreshRetryingAt(ServiceProcess replica, ServiceProcess survivor, String token,
            AtomicInteger retried) {
        Response response;
        try {
            response = given().baseUri(replica.baseUrl()).cookie("huddle_refresh", token).post("/v1/auth/refresh");
        } catch (Exception noAnswer) {
            // connection refused or reset, or no response: rest-assured rethrows the IOException unchecked
            retried.incrementAndGet();
            return refresh(survivor, token);
        }
        assertEquals(200, response.statusCode(), replica.name() + ": " + response.asString());
        return response.getCookie("huddle_refresh");
    }

    /** The calls made with {@code token} at any replica: the tokens its sign-in bucket lacks. */
    static long callsWith(String token) {
        Object tokens = TestDatabase.value("SELECT coalesce((SELECT tokens FROM core.rate_limits "
                + "WHERE bucket = 'sign-in-credential' AND subject = 'token:' || encode(sha256(convert_to(?, 'UTF8')), "
                + "'hex')), ?)", token, (double) Stack.SIGN_IN_PER_CREDENTIAL);
        return Math.round(Stack.SIGN_IN_PER_CREDENTIAL - ((Number) tokens).doubleValue());
    }

    private static String result(Future<String> answer) {
        try {
            return answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("a refresh failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for a refresh", e);
        } catch (TimeoutException e) {
            throw new AssertionError("a refresh did not finish in " + WAIT, e);
        }
    }

    static String query(URI uri, String name) {
        for (String part : uri.getRawQuery().split("&")) {
            int eq = part.indexOf('=');
            if (URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + uri);
    }
}
