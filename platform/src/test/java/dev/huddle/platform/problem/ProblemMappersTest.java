package dev.huddle.platform.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

class ProblemMappersTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void aDatabaseThatCannotBeReachedIsA503WithRetryAfter() {
        Response response = mappers.unexpected(new CompletionException(new ConnectException("Connection refused")));

        assertEquals(503, response.getStatus());
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        assertEquals(ProblemMappers.TYPE_PREFIX + "unavailable", ((Problem) response.getEntity()).type());
        assertEquals(String.valueOf(ProblemMappers.UNAVAILABLE_RETRY_AFTER_SECONDS),
                response.getHeaderString(HttpHeaders.RETRY_AFTER));
    }

    @Test
    void lostConnectionsAndAServerStartingOrStoppingAreUnreachable() {
        assertTrue(ProblemMappers.unreachable(ClosedConnectionException.INSTANCE));
        assertTrue(ProblemMappers.unreachable(new SocketException("Connection reset")));
        assertTrue(ProblemMappers.unreachable(pg("57P01", "terminating connection due to administrator command")));
        assertTrue(ProblemMappers.unreachable(pg("57P03", "the database system is starting up")));
        assertTrue(ProblemMappers.unreachable(pg("08006", "connection failure")));
        assertTrue(ProblemMappers.unreachable(new RuntimeException(new RuntimeException(new ConnectException()))));
    }

    @Test
    void otherFailuresStayFaultsOfOurs() {
        assertFalse(ProblemMappers.unreachable(pg("23505", "duplicate key value violates unique constraint")));
        assertFalse(ProblemMappers.unreachable(pg("57014", "canceling statement due to statement timeout")));
        assertFalse(ProblemMappers.unreachable(new IllegalStateException("a bug")));

        Response response = mappers.unexpected(new IllegalStateException("a bug"));
        assertEquals(500, response.getStatus());
        assertEquals(ProblemMappers.TYPE_PREFIX + "internal", ((Problem) response.getEntity()).type());
    }

    private static PgException pg(String sqlState, String message) {
        return new PgException(message, "FATAL", sqlState, null);
    }
}
