package dev.huddle.platform.problem;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * Thrown (or failed with, in a {@code Uni}) by services and resources to answer with a problem. The message is
 * the problem's detail and is shown to the caller: say what is wrong with the request, never why internally.
 */
public class ProblemException extends RuntimeException {

    private final Response.StatusType status;
    private final String slug;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers;

    public ProblemException(Response.StatusType status, String slug, String detail) {
        this(status, slug, detail, List.of(), Map.of());
    }

    public ProblemException(Response.StatusType status, String slug, String detail, List<Problem.FieldError> errors,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, "bad-request", detail);
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Response.Status.BAD_REQUEST, "validation", "the request is not valid",
                List.of(new Problem.FieldError(field, message)), Map.of());
    }

    /** What a caller outside the org sees for anything in it: the same as for something that does not exist. */
    public static ProblemException notFound(String what) {
        return new ProblemException(Response.Status.NOT_FOUND, "not-found", what + " not found");
    }

    /**
     * For {@link Uni#plug}: a null item (no such row, or not in the caller's org) fails with {@link #notFound}, any
     * other item passes: {@code repository.find(orgId, id).plug(ProblemException.orNotFound("room"))}.
     */
    public static <T> Function<Uni<T>, Uni<T>> orNotFound(String what) {
        return uni -> uni.onItem().ifNull().failWith(() -> notFound(what));
    }

    /** {@code value}, when there is one; else throws {@link #notFound} of {@code what}. */
    public static <T> T requireFound(T value, String what) {
        if (value == null) {
            throw notFound(what);
        }
        return value;
    }

    /** Throws {@link #notFound} of {@code what} unless {@code exists}. */
    public static void requireExists(boolean exists, String what) {
        if (!exists) {
            throw notFound(what);
        }
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Response.Status.FORBIDDEN, "forbidden", detail);
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Response.Status.CONFLICT, slug, detail);
    }

    public Response.StatusType status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
