package dev.huddle.core.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.core.config.WorkOsConfig;
import dev.huddle.core.workos.WorkOs;
import dev.huddle.core.workos.WorkOsApiException;
import dev.huddle.core.workos.WorkOsWire.Authenticate;
import dev.huddle.core.workos.WorkOsWire.Authentication;
import io.smallrye.mutiny.Uni;

/**
 * WorkOS AuthKit for sign-in: the authorization URL, and {@code POST /user_management/authenticate} with an
 * authorization code or a refresh token, through {@link WorkOs} (its REST client and circuit breaker).
 * <p>
 * <b>It never retries.</b> A WorkOS refresh token is single use: a retry after a lost answer would present a token
 * WorkOS may already have rotated, and a retry hidden in the client would bypass the session lock that makes one
 * refresh per token. So each call is exactly one HTTP request (no retry, no redirect followed), and a failure is
 * reported to the caller, which answers 503 and lets the client decide.
 * <p>
 * Answers are classified: tokens; a terminal refusal ({@code invalid_grant}, {@code mfa_enrollment},
 * {@code sso_required}: the session is over); or WorkOS unavailable (429, 5xx, a timeout, no connection, an answer
 * that cannot be read, a refusal of our own credentials, or the circuit breaker open) with its {@code Retry-After}
 * when it gave one. Tokens and the client secret never appear in an exception, a log line or a {@code toString}.
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

    private final WorkOs workOs;
    private final WorkOsConfig config;
    private final SessionConfig sessions;

    public WorkOsAuthClient(WorkOs workOs, WorkOsConfig config, SessionConfig sessions) {
        this.workOs = workOs;
        this.config = config;
        this.sessions = sessions;
    }

    /**
     * AuthKit's authorization URL: {@code GET /user_management/authorize?client_id&redirect_uri&response_type=code
     * &provider=authkit&state[&organization_id]}.
     */
    public String authorizationUrl(String state, String organizationId) {
        StringBuilder url = new StringBuilder(workOs.baseUrl()).append("/user_management/authorize")
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
        return authenticate("authorization_code", code, null);
    }

    /** Exchanges a refresh token for new tokens (and a new refresh token: the old one is then spent). */
    public Uni<Outcome> authenticateWithRefreshToken(String refreshToken) {
        return authenticate("refresh_token", null, refreshToken);
    }

    private Uni<Outcome> authenticate(String grantType, String code, String refreshToken) {
        Authenticate grant = new Authenticate(config.clientId().orElseThrow(), config.apiKey().orElseThrow(), grantType,
                code, refreshToken);
        return workOs.call("POST /user_management/authenticate", sessions.workosTimeout(), api -> api.authenticate(grant))
                .map(answer -> authenticated(grantType, answer))
                .onFailure(WorkOsApiException.class).recoverWithItem(e -> refused(grantType, (WorkOsApiException) e));
    }

    private static Outcome authenticated(String grantType, Authentication answer) {
        Tokens tokens = answer == null ? null : tokens(answer);
        if (tokens == null) {
            LOG.errorf("WorkOS authenticate (%s) answered 200 without a user id, access token and refresh token",
                    grantType);
            return new Unavailable("200 without tokens", null);
        }
        return new Authenticated(tokens);
    }

    private static Outcome refused(String grantType, WorkOsApiException e) {
        int status = e.status();
        String error = e.code();
        if (e.transientFailure()) {
            // no answer (a timeout, a refused connection, the breaker open...): only what the exception says, which
            // never quotes the request
            return new Unavailable(status == 0 ? "no answer (" + e.getMessage() + ")"
                    : status + (error == null ? "" : " " + error), e.retryAfter(Instant.now()));
        }
        if (error != null && TERMINAL.contains(error)) {
            return new Rejected(error);
        }
        // our own credentials or request refused: no user's fault, so no session is ended for it
        LOG.errorf("WorkOS authenticate (%s) refused the request: %d %s", grantType, status, error == null ? "" : error);
        return new Unavailable(status + (error == null ? "" : " " + error), null);
    }

    private static Tokens tokens(Authentication answer) {
        String userId = answer.user() == null ? null : answer.user().id();
        String access = answer.accessToken();
        String refresh = answer.refreshToken();
        if (blank(userId) || blank(access) || blank(refresh) || !cookieSafe(refresh)) {
            return null;
        }
        String org = answer.organizationId();
        return new Tokens(userId, blank(org) ? null : org, access, refresh);
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

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
