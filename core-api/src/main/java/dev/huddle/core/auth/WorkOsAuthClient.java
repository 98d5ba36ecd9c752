package dev.huddle.core.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.core.config.WorkOsConfig;
import dev.huddle.core.identity.WorkOsHttp;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * WorkOS AuthKit for sign-in: the authorization URL, and {@code POST /user_management/authenticate} with an
 * authorization code or a refresh token. Non-blocking, on a Vert.x WebClient of its own.
 * <p>
 * <b>It never retries.</b> A WorkOS refresh token is single use: a retry after a lost answer would present a token
 * WorkOS may already have rotated, and a retry hidden in the client would bypass the session lock that makes one
 * refresh per token. So each call is exactly one HTTP request (no retry, no redirect followed), and a failure is
 * reported to the caller, which answers 503 and lets the client decide.
 * <p>
 * Answers are classified: tokens; a terminal refusal ({@code invalid_grant}, {@code mfa_enrollment},
 * {@code sso_required}: the session is over); or WorkOS unavailable (429, 5xx, a timeout, no connection, an answer
 * that cannot be read, or a refusal of our own credentials) with its {@code Retry-After} when it gave one. Tokens
 * and the client secret never appear in an exception, a log line or a {@code toString}.
 */
@ApplicationScoped
public class WorkOsAuthClient {

    private static final Logger LOG = Logger.getLogger(WorkOsAuthClient.class);

    /** WorkOS error codes after which the grant can never work again (PROTOCOLS: WorkOS). */
    static final Set<String> TERMINAL = Set.of("invalid_grant", "mfa_enrollment", "sso_required");

    /** The tokens WorkOS issued. {@code toString} shows no token. */
    public record Tokens(String userId, String organizationId, String accessToken, String refreshToken) {

        @Override
        public String toString() {
            return "Tokens[userId=" + userId + ", organizationId=" + organizationId + ", accessToken=***, refreshToken=***]";
        }
    }

    /** What WorkOS answered. */
    public sealed interface Outcome permits Authenticated, Rejected, Unavailable {
    }

    /** New tokens. */
    public record Authenticated(Tokens tokens) implements Outcome {
    }

    /** A terminal refusal of the code or refresh token: {@code error} is WorkOS's code. */
    public record Rejected(String error) implements Outcome {
    }

    /**
     * WorkOS could not or would not answer now; nothing changed at WorkOS, or we cannot know.
     *
     * @param reason for the log: a status and an error code, or the kind of failure
     * @param retryAfter WorkOS's {@code Retry-After}, or null
     */
    public record Unavailable(String reason, Duration retryAfter) implements Outcome {
    }

    private final WorkOsConfig config;
    private final SessionConfig sessions;
    private final WebClient web;

    public WorkOsAuthClient(Vertx vertx, WorkOsConfig config, SessionConfig sessions) {
        this.config = config;
        this.sessions = sessions;
        this.web = WebClient.create(vertx, new WebClientOptions()
                .setFollowRedirects(false)
                .setUserAgent("huddle-core-api")
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, sessions.workosTimeout().toMillis())));
    }

    @PreDestroy
    void close() {
        web.close();
    }

    /**
     * AuthKit's authorization URL: {@code GET /user_management/authorize?client_id&redirect_uri&response_type=code
     * &provider=authkit&state[&organization_id]}.
     */
    public String authorizationUrl(String state, String organizationId) {
        StringBuilder url = new StringBuilder(baseUrl()).append("/user_management/authorize")
                .append("?client_id=").append(encode(config.clientId().orElseThrow()))
                .append("&redirect_uri=").append(encode(config.redirectUri().orElseThrow()))
                .append("&response_type=code&provider=authkit")
                .append("&state=").append(encode(state));
        if (organizationId != null) {
            url.append("&organization_id=").append(encode(organizationId));
        }
        return url.toString();
    }

    /** Exchanges the code AuthKit gave the browser. */
    public Uni<Outcome> authenticateWithCode(String code) {
        return authenticate(new JsonObject().put("grant_type", "authorization_code").put("code", code));
    }

    /** Exchanges a refresh token for new tokens (and a new refresh token: the old one is then spent). */
    public Uni<Outcome> authenticateWithRefreshToken(String refreshToken) {
        return authenticate(new JsonObject().put("grant_type", "refresh_token").put("refresh_token", refreshToken));
    }

    private Uni<Outcome> authenticate(JsonObject grant) {
        JsonObject body = new JsonObject()
                .put("client_id", config.clientId().orElseThrow())
                .put("client_secret", config.apiKey().orElseThrow())
                .mergeIn(grant);
        String grantType = grant.getString("grant_type");
        return web.postAbs(baseUrl() + "/user_management/authenticate")
                .putHeader("Accept", "application/json")
                .timeout(sessions.workosTimeout().toMillis())
                .sendJsonObject(body)
                .map(response -> classify(grantType, response))
                // a timeout, a refused connection...: only the kind, never a message that might quote the request
                .onFailure().recoverWithItem(e -> new Unavailable("no answer (" + e.getClass().getSimpleName() + ")", null));
    }

    private static Outcome classify(String grantType, HttpResponse<Buffer> response) {
        int status = response.statusCode();
        JsonObject json = json(response);
        if (status == 200) {
            Tokens tokens = json == null ? null : tokens(json);
            if (tokens == null) {
                LOG.errorf("WorkOS authenticate (%s) answered 200 without a user id, access token and refresh token",
                        grantType);
                return new Unavailable("200 without tokens", null);
            }
            return new Authenticated(tokens);
        }
        String error = json == null ? null : errorCode(json);
        if (status == 429 || status >= 500) {
            return new Unavailable(status + (error == null ? "" : " " + error), retryAfter(response.getHeader("Retry-After")));
        }
        if (error != null && TERMINAL.contains(error)) {
            return new Rejected(error);
        }
        // our own credentials or request refused: no user's fault, so no session is ended for it
        LOG.errorf("WorkOS authenticate (%s) refused the request: %d %s", grantType, status, error == null ? "" : error);
        return new Unavailable(status + (error == null ? "" : " " + error), null);
    }

    private static JsonObject json(HttpResponse<Buffer> response) {
        try {
            return response.bodyAsJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Tokens tokens(JsonObject json) {
        try {
            JsonObject user = json.getJsonObject("user");
            String userId = user == null ? null : user.getString("id");
            String access = json.getString("access_token");
            String refresh = json.getString("refresh_token");
            if (blank(userId) || blank(access) || blank(refresh) || !cookieSafe(refresh)) {
                return null;
            }
            String org = json.getString("organization_id");
            return new Tokens(userId, blank(org) ? null : org, access, refresh);
        } catch (ClassCastException e) {
            return null;
        }
    }

    /** WorkOS's OAuth-style {@code error} or its authentication errors' {@code code}, if it is a short plain word. */
    private static String errorCode(JsonObject json) {
        Object value = json.getValue("error");
        if (!(value instanceof String)) {
            value = json.getValue("code");
        }
        return value instanceof String s && s.matches("[a-z0-9_.-]{1,64}") ? s : null;
    }

    /** {@code Retry-After} as a wait from now ({@link WorkOsHttp#retryAt}); null when absent or unreadable. */
    static Duration retryAfter(String header) {
        Instant now = Instant.now();
        Instant at = WorkOsHttp.retryAt(header, now);
        if (at == null) {
            return null;
        }
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** Whether a refresh token can be a cookie value as it is (RFC 6265 cookie-octets, no quotes). */
    static boolean cookieSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
                return false;
            }
        }
        return value.length() <= 2048;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private String baseUrl() {
        String url = config.apiBase().strip();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
