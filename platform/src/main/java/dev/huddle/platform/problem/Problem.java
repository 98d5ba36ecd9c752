package dev.huddle.platform.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}). It never
 * carries exception class names, stack traces or SQL.
 *
 * @param type a URI naming the kind of problem ({@code about:blank} when the status says it all)
 * @param title the short summary of that kind
 * @param status the HTTP status
 * @param detail what went wrong with this request, for a human
 * @param errors for validation problems: each offending field and why
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@RegisterForReflection
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * One invalid input: where, named as the client sent it (the JSON field {@code name} or {@code tags[1]}, the query
     * parameter {@code limit}, the path parameter {@code orgId}), and why.
     */
    public record FieldError(String field, String message) {
    }
}
