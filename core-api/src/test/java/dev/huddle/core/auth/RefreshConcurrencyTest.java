package dev.huddle.core.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.huddle.core.config.WorkOsConfig;
import dev.huddle.core.ratelimit.RateLimitConfig;
import dev.huddle.core.ratelimit.RateLimitRepository;
import dev.huddle.core.ratelimit.RateLimiter;
import dev.huddle.core.workos.WorkOs;
import dev.huddle.migrations.PgUrl;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.testing.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * Refresh-token rotation with two service instances on one database: the application under test (over HTTP) and a
 * second {@link SessionService} built here from the same code with its own Vert.x, its own connection pool (as
 * core_app) and its own WorkOS HTTP client. The WorkOS stub is single use and slow, so the refreshes truly overlap.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefreshConcurrencyTest {

    /** Long enough that every racer is waiting on the session's lock before WorkOS answers. */
    private static final Duration WORKOS_DELAY = Duration.ofMillis(500);

    @Inject
    SessionConfig sessionConfig;
    @Inject
    WorkOsConfig workOsConfig;
    @Inject
    MeterRegistry registry;
    @Inject
    RateLimitConfig rateLimitConfig;

    private Vertx otherVertx;
    private Pool otherPool;
    /** The client address the second replica's callers come from. */
    private static final String OTHER_REPLICA_CLIENT = "192.0.2.10";
    /** The second replica. */
    private SessionService other;
    private final MeterRegistry otherRegistry = new SimpleMeterRegistry();

    @BeforeAll
    void secondInstance() {
        otherVertx = Vertx.vertx();
        PgUrl app = TestDatabase.current().as("core");
        PgConnectOptions connect = new PgConnectOptions().setHost(app.host()).setPort(app.port())
                .setDatabase(app.database()).setUser(app.user()).setPassword(app.password().orElse(""));
        otherPool = PgBuilder.pool().with(new PoolOptions().setMaxSize(10)).connectingTo(connect).using(otherVertx)
                .build();
        other = new SessionService(otherPool, new SessionRepository(),
                new WorkOsAuthClient(new WorkOs(workOsConfig), workOsConfig, sessionConfig), new TokenCipher(sessionConfig),
                sessionConfig, workOsConfig, otherRegistry,
                new SignInLimits(new RateLimiter(new RateLimitRepository(otherPool), null, rateLimitConfig),
                        rateLimitConfig));
    }

    @AfterAll
    void closeSecondInstance() {
        if (otherPool != null) {
            otherPool.closeAndAwait();
        }
        if (otherVertx != null) {
            otherVertx.closeAndAwait();
        }
    }

    /** What one refresh got: the access token and the refresh token (body and cookie, or the service's answer). */
    private record Got(int status, String accessToken, String refreshToken) {
    }

    @Test
    void twentyConcurrentRefreshesOnTwoInstancesMakeOneWorkOsCallAndAllGetTheSamePair() throws Exception {
        AuthKit.Pair first = AuthKit.session();
        UUID session = AuthKit.sessionOf(first.refreshToken());
        AuthKit.Pair next = AuthKit.pair(first.userId(), first.organizationId());
        AuthKit.stubRefreshOnce(first.refreshToken(), next, WORKOS_DELAY);

        double rotatedBefore = outcomes("rotated");
        double repeatedBefore = outcomes("repeated");

        List<Got> results = race(first.refreshToken(), 10);

        assertEquals(1, AuthKit.refreshCallCount(first.refreshToken()), "exactly one call to WorkOS");
        assertEquals(20, results.size());
        for (Got got : results) {
            assertEquals(new Got(200, next.accessToken(), next.refreshToken()), got);
        }
        assertEquals(1, ((Number) TestDatabase.value("SELECT generation FROM core.auth_sessions WHERE id = ?", session))
                .intValue(), "rotated once");
        assertEquals(1, outcomes("rotated") - rotatedBefore, "one instance rotated");
        assertEquals(19, outcomes("repeated") - repeatedBefore, "the others were given its answer");

        // the spent token after the reuse interval: reuse, the whole session is revoked
        awaitReuseIntervalOver(session);
        Response reused = AuthKit.refresh(first.refreshToken());
        assertEquals(401, reused.statusCode(), reused.asString());
        assertEquals("urn:huddle:problem:session-ended", reused.path("type"));
        assertFalse(AuthKit.sessionExists(session), "the session is revoked");
        assertNull(AuthKit.sessionOf(next.refreshToken()), "with every token of it");

        // and the new token, which a thief may hold, is dead too
        Response afterRevoke = AuthKit.refresh(next.refreshToken());
        assertEquals(401, afterRevoke.statusCode(), afterRevoke.asString());
        assertEquals(0, AuthKit.refreshCallCount(next.refreshToken()), "a revoked session never reaches WorkOS");
        assertEquals(1, AuthKit.refreshCallCount(first.refreshToken()));
    }

    @Test
    void theReplacedTokenWithinTheIntervalGetsTheSameAnswerWithoutCallingWorkOs() {
        AuthKit.Pair first = AuthKit.session();
        AuthKit.Pair next = AuthKit.pair(first.userId(), first.organizationId());
        AuthKit.stubRefreshOnce(first.refreshToken(), next, Duration.ZERO);

        Response refreshed = AuthKit.refresh(first.refreshToken());
        assertEquals(200, refreshed.statusCode(), refreshed.asString());
        SessionService.Issued again = other.refresh(first.refreshToken(), OTHER_REPLICA_CLIENT).await()
                .atMost(Duration.ofSeconds(30));

        assertEquals(next.accessToken(), refreshed.path("accessToken"));
        assertEquals(next.accessToken(), again.accessToken());
        assertEquals(next.refreshToken(), again.refreshToken());
        assertEquals(1, AuthKit.refreshCallCount(first.refreshToken()));
    }

    @Test
    void aTokenOlderThanThePreviousOneRevokesTheSessionEvenWithinTheInterval() {
        AuthKit.Pair first = AuthKit.session();
        UUID session = AuthKit.sessionOf(first.refreshToken());
        AuthKit.Pair second = AuthKit.pair(first.userId(), first.organizationId());
        AuthKit.Pair third = AuthKit.pair(first.userId(), first.organizationId());
        AuthKit.stubRefreshOnce(first.refreshToken(), second, Duration.ZERO);
        AuthKit.stubRefreshOnce(second.refreshToken(), third, Duration.ZERO);
        assertEquals(200, AuthKit.refresh(first.refreshToken()).statusCode());
        assertEquals(200, AuthKit.refresh(second.refreshToken()).statusCode());

        Response stale = AuthKit.refresh(first.refreshToken());

        assertEquals(401, stale.statusCode(), stale.asString());
        assertFalse(AuthKit.sessionExists(session));
        assertEquals(401, AuthKit.refresh(third.refreshToken()).statusCode());
    }

    /** {@code each} refreshes through the application and as many through the second instance, all at once. */
    private List<Got> race(String refreshToken, int each) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2 * each);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Got>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * each; i++) {
                Callable<Got> call = i % 2 == 0 ? () -> {
                    start.await();
                    Response r = AuthKit.refresh(refreshToken);
                    return new Got(r.statusCode(), r.statusCode() == 200 ? r.path("accessToken") : r.asString(),
                            r.getCookie(AuthResource.REFRESH_COOKIE));
                } : () -> {
                    start.await();
                    try {
                        SessionService.Issued issued = other.refresh(refreshToken, OTHER_REPLICA_CLIENT).await()
                                .atMost(Duration.ofSeconds(60));
                        return new Got(200, issued.accessToken(), issued.refreshToken());
                    } catch (ProblemException e) {
                        return new Got(e.status().getStatusCode(), e.getMessage(), null);
                    }
                };
                futures.add(threads.submit(call));
            }
            start.countDown();
            List<Got> results = new ArrayList<>();
            for (Future<Got> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Refresh outcomes counted by both instances. */
    private double outcomes(String outcome) {
        double sum = 0;
        for (MeterRegistry r : List.of(registry, otherRegistry)) {
            Counter counter = r.find("core.sessions.outcomes").tag("outcome", outcome).counter();
            sum += counter == null ? 0 : counter.count();
        }
        return sum;
    }

    @Test
    void noLockNorConnectionIsHeldWhileWorkOsAnswersARefresh() throws Exception {
        AuthKit.Pair first = AuthKit.session();
        AuthKit.Pair next = AuthKit.pair(first.userId(), first.organizationId());
        // slow, within the test run's 2 s WorkOS timeout
        AuthKit.stubRefreshOnce(first.refreshToken(), next, Duration.ofMillis(1500));
        UUID session = AuthKit.sessionOf(first.refreshToken());

        CompletableFuture<Response> refreshing = CompletableFuture.supplyAsync(() -> AuthKit.refresh(first.refreshToken()));
        await().atMost(Duration.ofSeconds(10)).until(() -> AuthKit.refreshCallCount(first.refreshToken()) == 1);

        // WorkOS is answering: the session is leased, but its row is not locked (another transaction locks it at once)
        try (Connection db = TestDatabase.admin(); Statement st = db.createStatement()) {
            db.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery("SELECT refresh_lease_until > clock_timestamp() AS leased "
                    + "FROM core.auth_sessions WHERE id = '" + session + "' FOR UPDATE NOWAIT")) {
                rs.next();
                assertTrue(rs.getBoolean("leased"));
            }
            db.rollback();
        }
        Response refreshed = refreshing.get(20, TimeUnit.SECONDS);
        assertEquals(200, refreshed.statusCode(), refreshed.asString());
        assertEquals(next.accessToken(), refreshed.path("accessToken"));
        assertNull(TestDatabase.value("SELECT refresh_lease_id FROM core.auth_sessions WHERE id = ?", session),
                "the lease ends with the rotation");
    }

    /** Waits, on the database's clock, until the session's last rotation is older than the reuse interval. */
    private void awaitReuseIntervalOver(UUID session) {
        double interval = sessionConfig.reuseInterval().toMillis() / 1000.0;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Boolean.TRUE.equals(TestDatabase.value(
                        """
                                SELECT rotated_at < clock_timestamp() - make_interval(secs => ?) FROM core.auth_sessions WHERE id = ?""",
                        interval + 0.2, session)));
    }
}
