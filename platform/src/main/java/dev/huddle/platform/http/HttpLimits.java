package dev.huddle.platform.http;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.problem.ProblemMappers;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Refuses, on every route of the service and before anything reads the request, a request target longer than
 * {@code huddle.http.max-uri-length} (414 {@code uri-too-long}) and a body whose declared {@code Content-Length}
 * is over {@code quarkus.http.limits.max-body-size} (413 {@code payload-too-large}), both as problem+json. Without
 * it Vert.x and Quarkus answer these with an empty body, and Quarkus closes the connection while the client is
 * still uploading, so that a client writing its body first sees a reset instead of the 413. A body sent chunked
 * (no length up front) is read here, up to the limit, by Vert.x's body handler (Quarkus REST then takes it from
 * there), and refused with the same 413 once it passes the limit. The rest of a refused body is read and thrown
 * away, up to {@code huddle.http.max-discarded-body}, so that the client gets to read the answer.
 */
@ApplicationScoped
public class HttpLimits {

    /** Before Quarkus's own body-size check (order -2) and before any body handler. */
    static final int ORDER = Integer.MIN_VALUE + 1;

    private final HttpLimitsConfig config;
    private final long maxBody;
    private final ObjectMapper json;

    public HttpLimits(HttpLimitsConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody, ObjectMapper json) {
        this.config = config;
        this.maxBody = maxBody.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(maxBody);
        router.route().order(ORDER).handler(ctx -> check(ctx, chunked));
        router.route().order(ORDER).failureHandler(this::tooLarge);
    }

    private void check(RoutingContext ctx, BodyHandler chunked) {
        HttpServerRequest request = ctx.request();
        if (request.uri().length() > config.maxUriLength()) {
            request.pause();
            refuse(request, Response.Status.REQUEST_URI_TOO_LONG, "uri-too-long", "the request target is longer than "
                    + config.maxUriLength() + " characters; a cursor or filter that long is not one this API gave out",
                    true);
            return;
        }
        long declared = declaredLength(request);
        if (declared > maxBody) {
            if (declared > config.maxDiscardedBody().asLongValue() || request.isEnded()) {
                refuse(request, Response.Status.REQUEST_ENTITY_TOO_LARGE, "payload-too-large", tooLargeDetail(), true);
                return;
            }
            // read the body to its end and throw it away, then answer: the client reads the 413, not a reset
            discard(request);
            request.endHandler(ignored -> refuse(request, Response.Status.REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                    tooLargeDetail(), false));
            request.resume();
            return;
        }
        if (declared < 0 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true)) {
            chunked.handle(ctx);
            return;
        }
        ctx.next();
    }

    /** The body handler failed a chunked body over the limit: answer at once, read and drop the rest. */
    private void tooLarge(RoutingContext ctx) {
        if (ctx.statusCode() != Response.Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode() || ctx.response().ended()) {
            ctx.next();
            return;
        }
        discard(ctx.request());
        refuse(ctx.request(), Response.Status.REQUEST_ENTITY_TOO_LARGE, "payload-too-large", tooLargeDetail(), false);
    }

    private String tooLargeDetail() {
        return "the request body is larger than " + maxBody + " bytes";
    }

    /** Reads what is left of the body and drops it; closes the connection past the most worth reading. */
    private void discard(HttpServerRequest request) {
        long cap = config.maxDiscardedBody().asLongValue();
        long[] seen = { 0 };
        request.handler(buffer -> {
            seen[0] += buffer.length();
            if (seen[0] > cap) {
                request.connection().close();
            }
        });
        request.exceptionHandler(ignored -> request.connection().close());
    }

    private static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void refuse(HttpServerRequest request, Response.Status status, String slug, String detail, boolean close) {
        HttpServerResponse response = request.response();
        if (response.ended()) {
            return;
        }
        String body;
        try {
            body = json.writeValueAsString(ProblemMappers.problem(status, slug, detail, List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem always serializes", e);
        }
        response.setStatusCode(status.getStatusCode()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body);
    }
}
