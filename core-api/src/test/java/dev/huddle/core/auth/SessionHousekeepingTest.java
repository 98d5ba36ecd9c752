package dev.huddle.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
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
            // waits huddle.sessions.workos-timeout + 5 s for the lock another refresh (here: this connection) holds
            Response response = AuthKit.refresh(pair.refreshToken());
            assertEquals(503, response.statusCode(), response.asString());
            assertEquals("1", response.header("Retry-After"));
            holder.rollback();
        }
        assertEquals(0, AuthKit.refreshCallCount(pair.refreshToken()));
        assertEquals(200, AuthKit.refresh(pair.refreshToken()).statusCode(), "the session is intact");
    }
}
