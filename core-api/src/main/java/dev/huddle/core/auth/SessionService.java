package dev.huddle.core.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.huddle.core.auth.SessionRepository.SessionRow;
import dev.huddle.core.auth.SessionRepository.TokenRef;
import dev.huddle.core.auth.WorkOsAuthClient.Authenticated;
import dev.huddle.core.auth.WorkOsAuthClient.Rejected;
import dev.huddle.core.auth.WorkOsAuthClient.Tokens;
import dev.huddle.core.auth.WorkOsAuthClient.Unavailable;
import dev.huddle.core.config.WorkOsConfig;
import dev.huddle.core.workos.WorkOsProblems;
import dev.huddle.platform.config.ExternalService;
import dev.huddle.platform.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;

/**
 * Sign-in sessions: AuthKit sign-in, refresh-token rotation and logout. A session is a row of
 * {@code core.auth_sessions}; the refresh token the client holds finds it through its SHA-256.
 * <p>
 * <b>One WorkOS call per refresh token, across replicas.</b> WorkOS refresh tokens are single use, and tabs, retries
 * and replicas race with the same one. A refresh takes its session's row lock ({@code SELECT ... FOR UPDATE}, in
 * PostgreSQL, so every replica waits on the same lock) for a few statements only, and then, under the lock:
 * <ul>
 * <li>the session's current token: the refresh takes the session's lease (valid one WorkOS call and a margin) and
 * commits; it calls WorkOS holding no connection and no lock; then, under the lock again, stores the new tokens
 * encrypted with the generation moved on, if its lease is still the session's. A refresh of the current token that
 * finds the lease held waits, holding nothing, and tries again until the holder's answer is stored (then it is the
 * case below) or the lease has run out;</li>
 * <li>the token the last refresh replaced, less than {@code huddle.sessions.reuse-interval} after it: the stored
 * answer of that refresh is given again, WorkOS is not called: every racer gets the same new pair;</li>
 * <li>any older token, or that one after the interval: reuse of a spent token (a stolen copy, or a client that lost
 * the answer): the whole session is deleted, with every token of it, and the answer is 401.</li>
 * </ul>
 * WorkOS {@code invalid_grant} (or another terminal refusal) deletes the session: 401. WorkOS unavailable (429,
 * 5xx, timeout) leaves the session's tokens as they are and answers 503, with WorkOS's {@code Retry-After} when it
 * gave one; further refreshes of that session answer 503 at once until then, instead of all calling WorkOS.
 * <p>
 * Tokens are only ever logged as absent: no log line, exception message or {@code toString} here contains one.
 */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);

    /** PostgreSQL's lock_not_available: the lock_timeout of a refresh waiting for another one ran out. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** The row lock is held for a few statements only (never across a WorkOS call): waiting longer means trouble. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(5);

    /**
     * Tokens for a client: the access token, the refresh token for the next refresh, whose they are. {@code toString}
     * shows no token.
     *
     * @param expiresAt the access token's {@code exp}, or null when it cannot be read
     */
    public record Issued(String accessToken, String refreshToken, String userId, String organizationId, Instant expiresAt) {

        @Override
        public String toString() {
            return "Issued[userId=" + userId + ", organizationId=" + organizationId + ", expiresAt=" + expiresAt
                    + ", accessToken=***, refreshToken=***]";
        }
    }

    /** Where to send the browser to sign in, and the nonce for its state cookie. */
    public record Login(String url, String stateNonce) {
    }

    /** A lease a refresh took on its session, to call WorkOS with and store the answer under. */
    private record Call(SessionRow session, UUID leaseId) {
    }

    /** What a refresh's first, short transaction found: a decision, a lease to call WorkOS with, or wait. */
    private record Step(Decision decision, Call call, boolean waiting) {

        static final Step WAIT = new Step(null, null, true);

        static Step done(Decision decision) {
            return new Step(decision, null, false);
        }

        static Step call(Call call) {
            return new Step(null, call, false);
        }
    }

    /** Another refresh of the session holds its lease: try again shortly. */
    private static final class StillLeased extends RuntimeException {

        StillLeased() {
            super("the session's refresh lease is held", null, false, false);
        }
    }

    /** What a refresh transaction decided, acted on after it commits. */
    private record Decision(String outcome, Issued issued, ProblemException problem) {

        static Decision issued(String outcome, Issued issued) {
            return new Decision(outcome, issued, null);
        }

        static Decision refused(String outcome, ProblemException problem) {
            return new Decision(outcome, null, problem);
        }
    }

    private final Pool pool;
    private final SessionRepository sessions;
    private final WorkOsAuthClient workOs;
    private final TokenCipher cipher;
    private final SessionConfig config;
    private final WorkOsConfig workOsConfig;
    private final LoginState loginState;
    private final MeterRegistry registry;
    private final SignInLimits limits;

    public SessionService(Pool pool, SessionRepository sessions, WorkOsAuthClient workOs, TokenCipher cipher,
            SessionConfig config, WorkOsConfig workOsConfig, MeterRegistry registry, SignInLimits limits) {
        this.pool = pool;
        this.sessions = sessions;
        this.workOs = workOs;
        this.cipher = cipher;
        this.config = config;
        this.workOsConfig = workOsConfig;
        this.loginState = new LoginState(cipher, config.stateTtl(), Clock.systemUTC());
        this.registry = registry;
        this.limits = limits;
    }

    /** What sign-in needs, for the start-up report; a key's value is never shown. */
    public ExternalService asExternalService() {
        return ExternalService.of("WorkOS sign-in", "/v1/auth/* answer 503 (no sign-in, refresh or logout here)",
                "WORKOS_CLIENT_ID", workOsConfig.clientId(), "WORKOS_API_KEY", workOsConfig.apiKey().map(k -> "set"),
                "WORKOS_REDIRECT_URI", workOsConfig.redirectUri(),
                "SESSION_ENCRYPTION_KEYS", cipher.configured() ? Optional.of("set") : Optional.empty());
    }

    public boolean configured() {
        return asExternalService().configured();
    }

    /** Starts a sign-in: AuthKit's URL with a fresh state, optionally for one organization. */
    public Login login(String organizationId) {
        requireConfigured();
        LoginState.Issued state = loginState.issue();
        return new Login(workOs.authorizationUrl(state.state(), organizationId), state.nonce());
    }

    /**
     * Completes a sign-in: within the sign-in rate limits (the client's address, and the state), checks the state
     * against the browser's nonce, records it as used (a second use is refused before WorkOS is called), exchanges the
     * code and creates a session.
     *
     * @throws ProblemException 400 for a bad or used state or code, 429 over a rate limit, 503 when WorkOS is
     *         unavailable
     */
    public Uni<Issued> completeLogin(String code, String state, String stateNonce, String clientAddress) {
        requireConfigured();
        return limits.take(clientAddress, "state:" + HexFormat.of().formatHex(TokenCipher.hash(state)))
                .chain(() -> {
                    LoginState.Verified verified = loginState.verify(state, stateNonce);
                    return sessions.useState(pool, verified.nonce(), verified.expiresAt());
                })
                .chain(fresh -> {
                    if (!fresh) {
                        count("state-reused");
                        return Uni.createFrom().failure(LoginState.used());
                    }
                    return workOs.authenticateWithCode(code);
                })
                .chain(outcome -> {
                    if (outcome instanceof Authenticated a) {
                        return create(a.tokens());
                    }
                    if (outcome instanceof Rejected r) {
                        return Uni.createFrom().failure(ProblemException.badRequest(
                                "WorkOS refused the sign-in code (" + r.error() + "): it is used or expired; sign in again"));
                    }
                    Unavailable u = (Unavailable) outcome;
                    LOG.warnf("sign-in not completed: WorkOS unavailable (%s)", u.reason());
                    return Uni.createFrom().failure(unavailable(u.retryAfter()));
                });
    }

    private Uni<Issued> create(Tokens tokens) {
        UUID id = UUID.randomUUID();
        TokenCipher.Sealed refresh = cipher.encrypt(tokens.refreshToken(), id + "|refresh");
        TokenCipher.Sealed access = cipher.encrypt(tokens.accessToken(), id + "|access");
        return pool.withTransaction(tx -> sessions.insert(tx, id, tokens.userId(), tokens.organizationId(), refresh.keyId(),
                refresh.bytes(), access.bytes(), TokenCipher.hash(tokens.refreshToken())))
                .invoke(() -> {
                    count("created");
                    LOG.debugf("session %s created for %s", id, tokens.userId());
                })
                .replaceWith(() -> issued(tokens));
    }

    /**
     * Exchanges a refresh token for new tokens, exactly once per token across replicas (see the class comment).
     *
     * @throws ProblemException 401 {@code session-ended} (unknown, reused or refused token), 503
     *         {@code workos-unavailable}
     */
    public Uni<Issued> refresh(String refreshToken, String clientAddress) {
        requireConfigured();
        if (refreshToken == null || refreshToken.isEmpty() || refreshToken.length() > 2048) {
            return limits.take(clientAddress, null)
                    .chain(() -> Uni.createFrom().failure(sessionEnded("no refresh token was presented; sign in")));
        }
        byte[] hash = TokenCipher.hash(refreshToken);
        return limits.take(clientAddress, "token:" + HexFormat.of().formatHex(hash)).chain(() -> refresh(refreshToken, hash));
    }

    private Uni<Issued> refresh(String refreshToken, byte[] hash) {
        // a refresh waits for one in progress at most as long as that one may take, and a little
        long patience = lease().plusSeconds(2).toMillis();
        return Uni.createFrom().deferred(() -> attempt(hash))
                .onItem().transformToUni(step -> step.waiting() ? Uni.createFrom().<Step> failure(new StillLeased())
                        : Uni.createFrom().item(step))
                .onFailure(SessionService::stillLeased).retry().withBackOff(Duration.ofMillis(20), Duration.ofMillis(200))
                .expireIn(patience)
                .onFailure(SessionService::stillLeased)
                .recoverWithItem(() -> Step.done(Decision.refused("busy", unavailable(Duration.ofSeconds(1)))))
                .chain(step -> step.call() == null ? Uni.createFrom().item(step.decision())
                        : exchange(refreshToken, step.call()))
                .map(decision -> {
                    count(decision.outcome());
                    if (decision.problem() != null) {
                        throw decision.problem();
                    }
                    return decision.issued();
                });
    }

    /**
     * Under the session's row lock, briefly: what the token gets without calling WorkOS, or the lease to call it
     * with, or that another refresh holds the lease (wait).
     */
    private Uni<Step> attempt(byte[] hash) {
        return pool.withTransaction(tx -> sessions.lockTimeout(tx, LOCK_WAIT)
                .chain(() -> sessions.findToken(tx, hash))
                .chain(ref -> ref == null ? Uni.createFrom().item(Step.done(unknownToken()))
                        : sessions.lock(tx, ref.sessionId(), config.reuseInterval())
                                .chain(session -> session == null ? Uni.createFrom().item(Step.done(unknownToken()))
                                        : decide(tx, ref, session))))
                .onFailure(e -> e instanceof PgException pg && LOCK_NOT_AVAILABLE.equals(pg.getSqlState()))
                .recoverWithItem(() -> Step.done(Decision.refused("busy", unavailable(Duration.ofSeconds(1)))));
    }

    private Uni<Step> decide(SqlClient tx, TokenRef ref, SessionRow session) {
        if (ref.generation() == session.generation()) {
            if (session.backoffSeconds() != null) {
                return Uni.createFrom().item(Step.done(Decision.refused("unavailable",
                        unavailable(Duration.ofSeconds(session.backoffSeconds())))));
            }
            if (session.leased()) {
                return Uni.createFrom().item(Step.WAIT); // another refresh of this token is calling WorkOS
            }
            UUID leaseId = UUID.randomUUID();
            return sessions.lease(tx, session.id(), leaseId, lease()).replaceWith(Step.call(new Call(session, leaseId)));
        }
        if (ref.generation() == session.generation() - 1 && session.inGrace()) {
            // raced with the refresh that spent this token: the same answer it got
            String access = cipher.decrypt(new TokenCipher.Sealed(session.keyId(), session.accessTokenEnc()),
                    session.id() + "|access");
            String refresh = cipher.decrypt(new TokenCipher.Sealed(session.keyId(), session.refreshTokenEnc()),
                    session.id() + "|refresh");
            return Uni.createFrom().item(Step.done(Decision.issued("repeated",
                    issued(new Tokens(session.workosUserId(), session.workosOrgId(), access, refresh)))));
        }
        LOG.warnf("session %s of %s revoked: a spent refresh token (generation %d of %d) was presented again",
                session.id(), session.workosUserId(), ref.generation(), session.generation());
        return sessions.delete(tx, session.id()).replaceWith(Step.done(Decision.refused("reuse-revoked",
                sessionEnded("this refresh token was already used; the session is revoked; sign in again"))));
    }

    /**
     * Calls WorkOS holding the lease but no connection, then stores its answer under the row lock, if the lease is still
     * the session's.
     */
    private Uni<Decision> exchange(String refreshToken, Call call) {
        SessionRow session = call.session();
        return workOs.authenticateWithRefreshToken(refreshToken).chain(outcome -> pool.withTransaction(tx -> sessions
                .lockTimeout(tx, LOCK_WAIT)
                .chain(() -> sessions.lockLeased(tx, session.id(), call.leaseId(), session.generation()))
                .chain(held -> {
                    if (!held) {
                        LOG.warnf("session %s: its refresh lease ended (session ended, or the WorkOS call outlasted "
                                + "the lease); the answer is not stored", session.id());
                        return Uni.createFrom().item(Decision.refused("lease-lost", unavailable(Duration.ofSeconds(1))));
                    }
                    if (outcome instanceof Authenticated a) {
                        return rotate(tx, session, a.tokens());
                    }
                    if (outcome instanceof Rejected r) {
                        LOG.infof("session %s of %s ended: WorkOS refused its refresh token (%s)", session.id(),
                                session.workosUserId(), r.error());
                        return sessions.delete(tx, session.id()).replaceWith(Decision.refused("rejected",
                                sessionEnded("the session has ended (" + r.error() + "); sign in again")));
                    }
                    Unavailable u = (Unavailable) outcome;
                    Duration wait = u.retryAfter() != null ? u.retryAfter() : config.unavailableBackoff();
                    LOG.warnf("session %s not refreshed: WorkOS unavailable (%s); kept as it is", session.id(), u.reason());
                    return sessions.backOff(tx, session.id(), wait)
                            .replaceWith(Decision.refused("unavailable", unavailable(u.retryAfter())));
                }))
                .onFailure(e -> e instanceof PgException pg && LOCK_NOT_AVAILABLE.equals(pg.getSqlState()))
                .recoverWithItem(() -> Decision.refused("busy", unavailable(Duration.ofSeconds(1)))));
    }

    /** How long a refresh may hold its session's lease: one WorkOS call, and a margin. */
    private Duration lease() {
        return config.workosTimeout().plusSeconds(3);
    }

    private static boolean stillLeased(Throwable e) {
        return e instanceof StillLeased || e.getCause() instanceof StillLeased;
    }

    private Uni<Decision> rotate(SqlClient tx, SessionRow session, Tokens tokens) {
        TokenCipher.Sealed refresh = cipher.encrypt(tokens.refreshToken(), session.id() + "|refresh");
        TokenCipher.Sealed access = cipher.encrypt(tokens.accessToken(), session.id() + "|access");
        return sessions.rotate(tx, session, tokens.userId(), tokens.organizationId(), refresh.keyId(), refresh.bytes(),
                access.bytes(), TokenCipher.hash(tokens.refreshToken()), config.retiredTokenRetention())
                .map(rotated -> {
                    if (!rotated) {
                        // cannot happen while the row lock is held; refuse rather than hand out tokens not stored
                        throw new IllegalStateException("session " + session.id() + " moved while locked");
                    }
                    return Decision.issued("rotated", issued(tokens));
                });
    }

    /**
     * Ends the session the refresh token belongs to (any of its tokens), within the sign-in rate limits; nothing when
     * there is none.
     */
    public Uni<Boolean> logout(String refreshToken, String clientAddress) {
        requireConfigured();
        if (refreshToken == null || refreshToken.isEmpty() || refreshToken.length() > 2048) {
            return limits.take(clientAddress, null).replaceWith(false);
        }
        byte[] hash = TokenCipher.hash(refreshToken);
        return limits.take(clientAddress, "token:" + HexFormat.of().formatHex(hash))
                .chain(() -> pool.withTransaction(tx -> sessions.deleteByToken(tx, hash)))
                .invoke(deleted -> {
                    if (deleted) {
                        count("logged-out");
                    }
                });
    }

    /**
     * Deletes sessions idle for longer than {@code huddle.sessions.idle-timeout}, and the records of used sign-in
     * states that have expired; returns how many sessions.
     */
    public Uni<Integer> pruneIdle() {
        return sessions.pruneIdle(pool, config.idleTimeout()).call(() -> sessions.pruneUsedStates(pool));
    }

    /** @throws ProblemException 503 {@code not-configured} while sign-in is not configured */
    public void requireConfigured() {
        ExternalService service = asExternalService();
        if (!service.configured()) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "not-configured",
                    "sign-in is not configured on this server");
        }
    }

    private static Issued issued(Tokens tokens) {
        return new Issued(tokens.accessToken(), tokens.refreshToken(), tokens.userId(), tokens.organizationId(),
                expiry(tokens.accessToken()));
    }

    /** The {@code exp} of a JWT, read without verifying it (it came from WorkOS itself); null if unreadable. */
    static Instant expiry(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            Object exp = claims.getValue("exp");
            return exp instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Decision unknownToken() {
        return Decision.refused("unknown",
                sessionEnded("the refresh token is not valid (ended, replaced or unknown); sign in"));
    }

    static ProblemException sessionEnded(String detail) {
        return new ProblemException(Response.Status.UNAUTHORIZED, "session-ended", detail);
    }

    static ProblemException unavailable(Duration retryAfter) {
        return WorkOsProblems.tryLater(retryAfter, "WorkOS cannot be reached right now; the session is unchanged: "
                + "try again" + (retryAfter == null ? "" : " after " + WorkOsProblems.seconds(retryAfter) + " s"));
    }

    private void count(String outcome) {
        Counter.builder("core.sessions.outcomes").description("Sign-ins, refreshes and logouts, by outcome")
                .tag("outcome", outcome).register(registry).increment();
    }
}
