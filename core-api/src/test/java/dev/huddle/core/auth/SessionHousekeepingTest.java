package dev.huddle.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SessionHousekeepingTest {

    @Inject
    SessionPruner pruner;

    @Test
    void sessionsIdleLongerThanTheIdleTimeoutArePruned() {
        AuthKit.Pair idle = AuthKit.session();
        AuthKit.Pair active = AuthKit.session();
        UUID idleSession = AuthKit.sessionOf(idle.refreshToken());
        UUID activeSession = AuthKit.sessionOf(active.refreshToken());
        TestDatabase.sql("UPDATE core.auth_sessions SET refreshed_at = now() - interval '31 days' WHERE id = ?", idleSession);

        pruner.scheduled().await().atMost(Duration.ofSeconds(30));

        assertFalse(AuthKit.sessionExists(idleSession));
        assertEquals(0L, ((Number) TestDatabase.value("SELECT count(*) FROM core.auth_refresh_tokens WHERE session_id = ?",
                idleSession)).longValue(), "with its tokens");
        assertTrue(AuthKit.sessionExists(activeSession));
        assertEquals(401, AuthKit.refresh(idle.refreshToken()).statusCode());
    }

    @Test
    void aRefreshThatWaitsTooLongForItsSessionIs503AndCallsNobody() throws Exception {
        AuthKit.Pair pair = AuthKit.session();
        UUID session = AuthKit.sessionOf(pair.refreshToken());
        AuthKit.stubRefreshOnce(pair.refreshToken(), AuthKit.pair(pair.userId(), null), Duration.ZERO);
        try (Connection holder = TestDatabase.admin()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder
                    .prepareStatement("SELECT id FROM core.auth_sessions WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, session);
                lock.executeQuery().close();
            }
            // waits the 5 s lock timeout for the lock another transaction (here: this connection) holds
            Response response = AuthKit.refresh(pair.refreshToken());
            assertEquals(503, response.statusCode(), response.asString());
            assertEquals("1", response.header("Retry-After"));
            holder.rollback();
        }
        assertEquals(0, AuthKit.refreshCallCount(pair.refreshToken()));
        assertEquals(200, AuthKit.refresh(pair.refreshToken()).statusCode(), "the session is intact");
    }

    @Test
    void usedSignInStatesAreForgottenOnceExpired() {
        TestDatabase.sql("""
                INSERT INTO core.auth_login_states_used (nonce, expires_at)
                VALUES ('expired-nonce-0123456789', now() - interval '1 minute'),
                       ('current-nonce-0123456789', now() + interval '5 minutes')""");

        pruner.scheduled().await().atMost(Duration.ofSeconds(30));

        assertEquals(List.of("current-nonce-0123456789"), TestDatabase.sql(
                "SELECT nonce FROM core.auth_login_states_used WHERE nonce LIKE '%-nonce-0123456789' ORDER BY nonce")
                .stream().map(r -> r.get("nonce")).toList());
    }

    @Test
    void aLeaseLeftByARefreshThatNeverFinishedRunsOutAndTheNextRefreshCallsWorkOs() {
        AuthKit.Pair pair = AuthKit.session();
        UUID session = AuthKit.sessionOf(pair.refreshToken());
        AuthKit.Pair next = AuthKit.pair(pair.userId(), null);
        AuthKit.stubRefreshOnce(pair.refreshToken(), next, Duration.ZERO);
        // a replica took the lease and died before WorkOS answered
        TestDatabase.sql("""
                UPDATE core.auth_sessions SET refresh_lease_id = gen_random_uuid(),
                       refresh_lease_until = clock_timestamp() + interval '1 second' WHERE id = ?""", session);

        Response response = AuthKit.refresh(pair.refreshToken());

        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(next.accessToken(), response.path("accessToken"));
        assertEquals(1, AuthKit.refreshCallCount(pair.refreshToken()));
    }
}
