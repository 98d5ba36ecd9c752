package dev.huddle.core.workos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import dev.huddle.platform.problem.ProblemException;

/** How our API answers when WorkOS did not take a change: the one translation of a {@link WorkOsApiException}. */
public final class WorkOsProblems {

    private WorkOsProblems() {
    }

    /**
     * 503 {@code workos-unavailable} when it may work later (no answer, 429, 5xx, the breaker open), with WorkOS's
     * {@code Retry-After} when there is one; 502 {@code workos-unavailable} when WorkOS answered something unusable
     * or refused the request.
     */
    public static ProblemException unavailable(WorkOsApiException e, String detail) {
        if (e.transientFailure()) {
            Map<String, String> headers = e.retryAt() == null ? Map.of()
                    : Map.of("Retry-After", Long.toString(seconds(e.retryAt())));
            return new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "workos-unavailable", detail + ", try again",
                    List.of(), headers);
        }
        return new ProblemException(Response.Status.BAD_GATEWAY, "workos-unavailable", detail);
    }

    private static long seconds(Instant at) {
        long millis = Duration.between(Instant.now(), at).toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
