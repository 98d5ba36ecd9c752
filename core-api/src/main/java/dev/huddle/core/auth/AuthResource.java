package dev.huddle.core.auth;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Sign-in with WorkOS AuthKit, for the SPA. These routes mint tokens, so they take no bearer token and are not
 * org-scoped (no tenant guard, no subscription gate). The refresh token travels only in an HttpOnly cookie
 * ({@value #REFRESH_COOKIE}, {@code Path=/v1/auth}, {@code SameSite=Strict}): script in the page never sees it, and
 * no other route receives it. The access token is in the JSON body; the SPA keeps it in memory.
 */
@Path("/v1/auth")
@Tag(name = "Auth", description = "Sign-in, refresh and logout (no bearer token)")
@SecurityRequirementsSet({})
public class AuthResource {

    /** The refresh token's cookie. */
    public static final String REFRESH_COOKIE = "huddle_refresh";
    /** The sign-in state's nonce, from login to callback. */
    public static final String STATE_COOKIE = "huddle_login_state";
    /** Both cookies are sent to these routes only. */
    public static final String COOKIE_PATH = "/v1/auth";

    private static final Pattern ORG_ID = Pattern.compile("org_[A-Za-z0-9]{1,100}");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final SessionService sessions;
    private final SessionConfig config;

    public AuthResource(SessionService sessions, SessionConfig config) {
        this.sessions = sessions;
        this.config = config;
    }

    @GET
    @Path("/login")
    @Operation(summary = "Start signing in", description = "Redirects the browser to WorkOS AuthKit with a signed state, "
            + "and sets the state's nonce in an HttpOnly cookie (huddle_login_state) that the callback checks.")
    @APIResponse(responseCode = "302", description = "To AuthKit", headers = @Header(name = "Location", description = "AuthKit's authorization URL", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "organizationId is not a WorkOS organization id", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "Sign-in is not configured on this server", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Response login(
            @Parameter(description = "Sign in to this WorkOS organization (org_...)", example = "org_01HZX5J8Q2W3E4R5T6Y7U8I9O0") @QueryParam("organizationId") String organizationId) {
        if (organizationId != null && !ORG_ID.matcher(organizationId).matches()) {
            throw ProblemException.invalid("organizationId", "must be a WorkOS organization id (org_...)");
        }
        SessionService.Login login = sessions.login(organizationId);
        return Response.status(Response.Status.FOUND).location(URI.create(login.url()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header(HttpHeaders.SET_COOKIE, cookie(STATE_COOKIE, login.stateNonce(), config.stateTtl(), "Lax"))
                .build();
    }

    @GET
    @Path("/callback")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Finish signing in", description = "The SPA's callback page passes on the code and state AuthKit "
            + "gave it (the huddle_login_state cookie comes along). Exchanges the code with WorkOS and creates a session: "
            + "the access token is in the body, the refresh token in the huddle_refresh cookie. A state is single use: "
            + "presented again it is 400 and WorkOS is not called. Rate-limited per client address (shared with refresh "
            + "and logout) and per state: 429 with Retry-After.")
    @APIResponse(responseCode = "200", description = "Signed in", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "A missing, forged, expired, used or other browser's state, or a code WorkOS refused", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "Too many sign-in calls from this client address, or with this credential; retry after Retry-After seconds", headers = @Header(name = "Retry-After", description = "Seconds until a call is accepted again", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)), content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "Not configured, or WorkOS unavailable (with Retry-After when WorkOS gave one)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<RestResponse<TokenResponse>> callback(
            @Parameter(description = "The authorization code from AuthKit") @QueryParam("code") String code,
            @Parameter(description = "The state from AuthKit, as /v1/auth/login issued it") @QueryParam("state") String state,
            @Parameter(description = "AuthKit's error, when sign-in failed there") @QueryParam("error") String error,
            @Parameter(in = ParameterIn.COOKIE, description = "Set by /v1/auth/login") @CookieParam(STATE_COOKIE) String stateNonce,
            @Context HttpServerRequest request) {
        sessions.requireConfigured();
        if (error != null) {
            throw ProblemException.badRequest("sign-in failed at WorkOS"
                    + (ERROR_CODE.matcher(error).matches() ? " (" + error + ")" : "") + "; sign in again");
        }
        require("code", code, 512);
        require("state", state, 1024);
        return sessions.completeLogin(code, state, stateNonce, clientAddress(request))
                .map(issued -> RestResponse.ResponseBuilder
                        .ok(TokenResponse.of(issued), MediaType.APPLICATION_JSON_TYPE)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .header(HttpHeaders.SET_COOKIE, refreshCookie(issued.refreshToken()))
                        .header(HttpHeaders.SET_COOKIE, cookie(STATE_COOKIE, "", Duration.ZERO, "Lax"))
                        .build());
    }

    @POST
    @Path("/refresh")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "New tokens for the refresh token", description = "Reads the refresh token from the huddle_refresh "
            + "cookie and answers a new access token, setting the new refresh token in the cookie. Concurrent refreshes "
            + "with the same token (tabs, replicas) get the same answer; the replaced token presented again after "
            + "huddle.sessions.reuse-interval revokes the session. Rate-limited per client address (shared with the "
            + "callback and logout) and per refresh token: 429 with Retry-After.")
    @APIResponse(responseCode = "429", description = "Too many sign-in calls from this client address, or with this credential; retry after Retry-After seconds", headers = @Header(name = "Retry-After", description = "Seconds until a call is accepted again", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)), content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "200", description = "New tokens", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "401", description = "No, unknown or reused refresh token, or WorkOS ended the session: sign in again (the cookie is cleared)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "503", description = "Not configured, or WorkOS unavailable: the session is unchanged; retry (after Retry-After when given)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<RestResponse<TokenResponse>> refresh(
            @Parameter(in = ParameterIn.COOKIE, description = "The refresh token, as the last sign-in or refresh set it") @CookieParam(REFRESH_COOKIE) String refreshToken,
            @Context HttpServerRequest request) {
        return sessions.refresh(refreshToken, clientAddress(request))
                .onFailure(ProblemException.class).transform(e -> clearingCookieOn401((ProblemException) e))
                .map(issued -> RestResponse.ResponseBuilder.ok(TokenResponse.of(issued), MediaType.APPLICATION_JSON_TYPE)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .header(HttpHeaders.SET_COOKIE, refreshCookie(issued.refreshToken()))
                        .build());
    }

    @POST
    @Path("/logout")
    @Operation(summary = "Sign out", description = "Deletes the session of the huddle_refresh cookie (every token of it) and "
            + "clears the cookie. Idempotent: 204 also without a cookie or session. Rate-limited like refresh.")
    @APIResponse(responseCode = "429", description = "Too many sign-in calls from this client address, or with this credential; retry after Retry-After seconds", headers = @Header(name = "Retry-After", description = "Seconds until a call is accepted again", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)), content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "204", description = "Signed out")
    @APIResponse(responseCode = "503", description = "Sign-in is not configured on this server", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Uni<RestResponse<Void>> logout(
            @Parameter(in = ParameterIn.COOKIE, description = "The refresh token of the session to end") @CookieParam(REFRESH_COOKIE) String refreshToken,
            @Context HttpServerRequest request) {
        return sessions.logout(refreshToken, clientAddress(request))
                .map(deleted -> RestResponse.ResponseBuilder.<Void> noContent()
                        .header(HttpHeaders.SET_COOKIE, refreshCookie(null))
                        .build());
    }

    /**
     * The client's address: the TCP peer's, or, when {@code quarkus.http.proxy.*} trusts the peer as a proxy, the one
     * it forwarded (Quarkus rewrites the remote address; untrusted peers cannot set it with a header).
     */
    private static String clientAddress(HttpServerRequest request) {
        SocketAddress address = request.remoteAddress();
        String host = address == null ? null : address.hostAddress();
        return host == null || host.isEmpty() ? "unknown" : host;
    }

    private static void require(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(field, "is required");
        }
        if (value.length() > maxLength) {
            throw ProblemException.invalid(field, "must be at most " + maxLength + " characters");
        }
    }

    private ProblemException clearingCookieOn401(ProblemException e) {
        if (e.status().getStatusCode() != 401) {
            return e;
        }
        Map<String, String> headers = new HashMap<>(e.headers());
        headers.put(HttpHeaders.SET_COOKIE, refreshCookie(null));
        return new ProblemException(e.status(), e.slug(), e.getMessage(), e.errors(), headers);
    }

    /** The refresh-token cookie; null clears it. */
    private String refreshCookie(String token) {
        return token == null ? cookie(REFRESH_COOKIE, "", Duration.ZERO, "Strict")
                : cookie(REFRESH_COOKIE, token, config.cookie().maxAge(), "Strict");
    }

    /** A Set-Cookie value (RFC 6265), written out so that nothing is quoted or versioned. */
    private String cookie(String name, String value, Duration maxAge, String sameSite) {
        return name + "=" + value + "; Path=" + COOKIE_PATH + "; Max-Age=" + maxAge.toSeconds() + "; HttpOnly"
                + (config.cookie().secure() ? "; Secure" : "") + "; SameSite=" + sameSite;
    }
}
