package dev.huddle.core.workos;

import java.time.Duration;
import java.time.Instant;

/**
 * WorkOS could not be used: it answered with an error status (429, 5xx, 4xx), did not answer in time, refused the
 * connection, or answered something that is not what its API documents.
 */
public class WorkOsApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Instant retryAt;

    public WorkOsApiException(String message) {
        this(message, 0, null, null, null);
    }

    public WorkOsApiException(String message, Throwable cause) {
        this(message, 0, null, null, cause);
    }

    /**
     * @param status WorkOS's HTTP status; 0 when it gave none (timeout, connection refused, unreadable answer)
     * @param code WorkOS's error {@code code} from the body, when it gave one
     * @param retryAt when its {@code Retry-After} header said to try again, when it sent one
     */
    public WorkOsApiException(String message, int status, String code, Instant retryAt, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.code = code;
        this.retryAt = retryAt;
    }

    public int status() {
        return status;
    }

    /** WorkOS's error code ({@code cannot_deactivate_pending_organization_membership}...); null when none. */
    public String code() {
        return code;
    }

    /** When WorkOS asked us to try again ({@code Retry-After}); null when it did not say. */
    public Instant retryAt() {
        return retryAt;
    }

    /** The wait from {@code now} until {@link #retryAt()}: zero when it is past, null when WorkOS did not say. */
    public Duration retryAfter(Instant now) {
        if (retryAt == null) {
            return null;
        }
        Duration wait = Duration.between(now, retryAt);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** Worth trying again later: no answer, 429 (rate limited) or a 5xx. */
    public boolean transientFailure() {
        return status == 0 || status == 429 || status >= 500;
    }

    /**
     * WorkOS refused the request itself (400, 404, 410 or 422). For the Events API read with an {@code after}
     * cursor, this is how a cursor WorkOS no longer knows (older than it keeps events) is answered.
     */
    public boolean refused() {
        return status == 400 || status == 404 || status == 410 || status == 422;
    }
}
