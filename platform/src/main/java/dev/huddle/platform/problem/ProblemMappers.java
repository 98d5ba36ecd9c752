package dev.huddle.platform.problem;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.SocketException;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.huddle.platform.retry.Failures;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * The one exception-mapper family of every service: each failure becomes an RFC 9457 problem. Bad input is
 * always a 4xx with a detail that says what to fix; only a fault of ours is a 500, and its body names an
 * incident id to find in the logs, never the exception.
 */
public class ProblemMappers {

    /** Problem type URIs are {@code urn:huddle:problem:<slug>}; the slugs are listed in the README. */
    public static final String TYPE_PREFIX = "urn:huddle:problem:";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder builder = Response.fromResponse(build(e.status(), e.slug(), e.getMessage(), e.errors()));
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        // the JSON body reader wraps what Jackson could not read in a plain 400: say what was wrong with the body
        if (e.getCause() instanceof JsonParseException parse) {
            return malformedJson(parse);
        }
        if (e.getCause() instanceof MismatchedInputException mismatched) {
            return mismatchedInput(mismatched);
        }
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return jsonProcessing(unreadable);
        }
        if (status.getStatusCode() >= 500) {
            return internal(e);
        }
        if (e.getCause() instanceof IllegalArgumentException) {
            // JAX-RS answers 404 when a path or query parameter does not convert (a malformed id, "ten" for a
            // number): that is bad input, not a missing resource
            return build(Response.Status.BAD_REQUEST, "validation",
                    "a path or query parameter is malformed (an id that is not a UUID, a number that is not a number)",
                    List.of());
        }
        Response.ResponseBuilder builder = Response.fromResponse(build(status, slugOf(status), detailOf(e, status), List.of()));
        // keep what the framework says about the refusal (Allow on 405, WWW-Authenticate on 401...)
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, ResourceInfo resource) {
        boolean inputFault = e.getConstraintViolations().stream()
                .allMatch(v -> kindOfLastNode(v.getPropertyPath()) != ElementKind.RETURN_VALUE);
        if (!inputFault) {
            return internal(e);
        }
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v, resource.getResourceMethod()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        return build(Response.Status.BAD_REQUEST, "validation", "the request is not valid", errors);
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return build(Response.Status.BAD_REQUEST, "validation", "the request body has a field this operation does not take",
                at(jsonPath(e), "unknown field"));
    }

    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e) {
        return build(Response.Status.BAD_REQUEST, "validation", "the request body has a value of the wrong type or format",
                at(jsonPath(e), "expected " + simpleTypeName(e.getTargetType())));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown);
        }
        if (e instanceof InvalidFormatException wrong) {
            return wrongType(wrong);
        }
        return build(Response.Status.BAD_REQUEST, "validation", "the request body does not have the expected shape",
                at(jsonPath(e), "expected " + simpleTypeName(e.getTargetType())));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        return build(Response.Status.BAD_REQUEST, "malformed-json", "the request body is not valid JSON"
                + (e.getLocation() == null ? ""
                        : " (line " + e.getLocation().getLineNr() + ", column "
                                + e.getLocation().getColumnNr() + ")"),
                List.of());
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e) {
        return build(Response.Status.BAD_REQUEST, "malformed-json", "the request body could not be read", List.of());
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return build(Response.Status.FORBIDDEN, "forbidden", "your role does not allow this", List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (unreachable(e)) {
            // the database (or a peer) is down or restarting: not a fault to investigate, and over soon
            LOG.warnf("answering 503: %s", Failures.describe(e));
            return Response.fromResponse(build(Response.Status.SERVICE_UNAVAILABLE, "unavailable",
                    "the service cannot reach what it depends on right now; retry in a few seconds", List.of()))
                    .header(HttpHeaders.RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECONDS).build();
        }
        return internal(e);
    }

    /** What a client is told to wait before retrying when the database is unreachable. */
    static final int UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

    /**
     * Whether {@code e} (or one of its causes) says that a connection could not be made or was lost: refused or
     * reset connections (a socket error), lost ones, and PostgreSQL's connection errors (class 08) and shutdown or start-up
     * (57P01-57P03).
     */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketException || t instanceof ClosedConnectionException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    /** Builds a problem response; the one place that sets its media type. */
    public static Response build(Response.StatusType status, String slug, String detail, List<Problem.FieldError> errors) {
        return Response.status(status.getStatusCode())
                .type(Problem.MEDIA_TYPE)
                .entity(problem(status, slug, detail, errors))
                .build();
    }

    /** The problem body itself, for the answers given before a request reaches a resource. */
    public static Problem problem(Response.StatusType status, String slug, String detail, List<Problem.FieldError> errors) {
        return new Problem(TYPE_PREFIX + slug, status.getReasonPhrase(), status.getStatusCode(), detail, errors);
    }

    private static Response unauthorized() {
        return Response.fromResponse(
                build(Response.Status.UNAUTHORIZED, "unauthorized", "a valid bearer access token is required", List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private static Response internal(Throwable e) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "incident %s: unexpected failure", incident);
        return build(Response.Status.INTERNAL_SERVER_ERROR, "internal",
                "something went wrong on our side; quote incident " + incident, List.of());
    }

    private static String slugOf(Response.StatusType status) {
        return switch (status.getStatusCode()) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 429 -> "rate-limited";
            default -> "http-" + status.getStatusCode();
        };
    }

    private static String detailOf(WebApplicationException e, Response.StatusType status) {
        String message = e.getMessage();
        // the framework's default message is "HTTP 404 Not Found": say something more useful
        if (message == null || message.startsWith("HTTP " + status.getStatusCode())) {
            return switch (status.getStatusCode()) {
                case 404 -> "no such resource";
                case 405 -> "this method is not allowed on this resource";
                case 406 -> "no acceptable representation; this API speaks application/json";
                case 415 -> "unsupported content type; send application/json";
                default -> status.getReasonPhrase();
            };
        }
        return message;
    }

    private static ElementKind kindOfLastNode(Path path) {
        ElementKind kind = null;
        for (Path.Node node : path) {
            kind = node.getKind();
        }
        return kind;
    }

    /**
     * The input as the client named it: {@code create.body.name} -> {@code name} (the JSON field of the body),
     * {@code list.after} -> {@code cursor} (the name of the query, path or header parameter, not the Java one),
     * {@code create.body.tags[1].<list element>} -> {@code tags[1]}.
     */
    static String fieldOf(ConstraintViolation<?> v, Method resourceMethod) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : v.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> {
                    // the Java method is no part of what the client sent
                }
                case PARAMETER -> {
                    // a body parameter has no name in the request: its fields follow
                    String name = resourceMethod == null ? node.getName()
                            : parameterName(resourceMethod, node.as(Path.ParameterNode.class).getParameterIndex());
                    if (name != null) {
                        field.append(name);
                    }
                }
                default -> {
                    if (node.getIndex() != null) {
                        field.append('[').append(node.getIndex()).append(']');
                    } else if (node.getKey() != null) {
                        field.append('[').append(node.getKey()).append(']');
                    }
                    if (node.getName() != null && !node.getName().startsWith("<")) {
                        if (!field.isEmpty()) {
                            field.append('.');
                        }
                        field.append(node.getName());
                    }
                }
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    /**
     * The name a parameter has in the request ({@code @QueryParam("cursor")}), or null for the body. The services
     * name their parameters with the JAX-RS annotations; Quarkus REST's {@code @RestQuery} family is not used.
     */
    private static String parameterName(Method method, int index) {
        if (method == null || index < 0 || index >= method.getParameterCount()) {
            return null;
        }
        for (Annotation annotation : method.getParameterAnnotations()[index]) {
            if (annotation instanceof QueryParam q) {
                return q.value();
            } else if (annotation instanceof PathParam p) {
                return p.value();
            } else if (annotation instanceof HeaderParam h) {
                return h.value();
            } else if (annotation instanceof CookieParam c) {
                return c.value();
            } else if (annotation instanceof FormParam f) {
                return f.value();
            }
        }
        return null;
    }

    /** One field error, or none when the fault is the body as a whole (an array where an object belongs). */
    private static List<Problem.FieldError> at(String field, String message) {
        return field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, message));
    }

    /** The JSON field as the client sent it: {@code name}, {@code tags[1]}, {@code address.city}; empty for the body. */
    private static String jsonPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String simpleTypeName(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == String.class || type.isEnum()) {
            return type.isEnum() ? "one of the allowed values" : "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
