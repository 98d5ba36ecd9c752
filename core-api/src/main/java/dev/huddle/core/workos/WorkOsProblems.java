package dev.huddle.core.workos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import dev.huddle.platform.problem.ProblemException;

/** How our API answers when WorkOS did not take a change or a sign-in: the one translation of WorkOS failing. */
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
            return tryLater(e.retryAfter(Instant.now()), detail + ", try again");
        }
        return new ProblemException(Response.Status.BAD_GATEWAY, "workos-unavailable", detail);
    }

    /** 503 {@code workos-unavailable}, with {@code Retry-After} ({@link #seconds}) when there is a wait. */
    public static ProblemException tryLater(Duration wait, String detail) {
        Map<String, String> headers = wait == null ? Map.of() : Map.of("Retry-After", Long.toString(seconds(wait)));
        return new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "workos-unavailable", detail, List.of(),
                headers);
    }

    /**
     * A wait in the whole seconds of a {@code Retry-After}: rounded up, at least 1 (a time already past means
     * "soon", not "now": 0 would invite a retry loop).
     */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
