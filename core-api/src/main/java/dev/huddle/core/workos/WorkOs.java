package dev.huddle.core.workos;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.ws.rs.client.ClientRequestFilter;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import dev.huddle.core.config.WorkOsConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;

/**
 * core-api's one way to WorkOS: {@link #call} sends one request of {@link WorkOsApi} with the timeout its caller
 * configures, behind one circuit breaker ({@code huddle.workos.circuit-breaker.*}).
 * <p>
 * <b>It never retries.</b> Each call is exactly one HTTP request (no retry, no redirect followed): a WorkOS refresh
 * token is single use, and the sync and the API decide themselves when to try again. Every failure is a
 * {@link WorkOsApiException}: WorkOS's error answer ({@link WorkOsErrorMapper}), no answer in time, no connection, an
 * answer that is not what WorkOS documents, or the breaker open (status 0, transient, with the time it may close as
 * {@link WorkOsApiException#retryAt()}). Only failures that say WorkOS is down (no answer, 5xx) count towards opening
 * it.
 */
@ApplicationScoped
public class WorkOs {

    private static final Logger LOG = Logger.getLogger(WorkOs.class);

    @SuppressWarnings("rawtypes")
    private static final TypeLiteral<Uni> UNI = new TypeLiteral<>() {
    };

    private final WorkOsConfig config;
    private final Guard breaker;
    private final Map<Duration, WorkOsApi> apis = new ConcurrentHashMap<>();
    private volatile Instant openUntil;

    public WorkOs(WorkOsConfig config) {
        this.config = config;
        WorkOsConfig.CircuitBreaker cb = config.circuitBreaker();
        this.breaker = Guard.create().withDescription("WorkOS").withThreadOffload(false).withCircuitBreaker()
                .requestVolumeThreshold(cb.requestVolume())
                .failureRatio(cb.failureRatio())
                .delay(cb.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(cb.successThreshold())
                .when(WorkOs::outage)
                .onStateChange(this::stateChanged)
                .done().build();
    }

    @PreDestroy
    void close() throws IOException {
        for (WorkOsApi api : apis.values()) {
            if (api instanceof Closeable client) {
                client.close();
            }
        }
    }

    /** Whether the API key is set. */
    public boolean configured() {
        return apiKey().isPresent();
    }

    /** The API key, when it is set (a blank one is none). */
    private Optional<String> apiKey() {
        return config.apiKey().filter(key -> !key.isBlank());
    }

    /** The API base URL, without a trailing slash. */
    public String baseUrl() {
        String url = config.apiBase().strip();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Sends {@code request} once, failing it as {@link WorkOsApiException} ({@code what} names it: only the kind of a
     * failure is added, as a message might quote what was sent, a token or a secret) when it has no answer within
     * {@code timeout} (to connect, and between reads), or when the breaker is open.
     */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> call(String what, Duration timeout, Function<WorkOsApi, Uni<T>> request) {
        Supplier<Uni> guarded = () -> Uni.createFrom().deferred(() -> request.apply(api(timeout)))
                .onFailure(e -> !(e instanceof WorkOsApiException))
                .transform(e -> new WorkOsApiException(what + " failed: no usable answer ("
                        + e.getClass().getSimpleName() + ")", e));
        return ((Uni<T>) breaker.get(guarded, UNI))
                .onFailure(CircuitBreakerOpenException.class)
                .transform(e -> new WorkOsApiException(what + " not sent: WorkOS failed repeatedly, calls are held "
                        + "until " + openUntil, 0, "circuit_open", openUntil, null));
    }

    /**
     * The client whose connect and read timeouts are {@code timeout}: one per configured value (the sync's, sign-in's,
     * the memberships'), so that a timeout fails on the event loop that sent the request, as any other failure.
     */
    private WorkOsApi api(Duration timeout) {
        return apis.computeIfAbsent(timeout, t -> {
            long millis = Math.max(1, t.toMillis());
            return QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(baseUrl()))
                    .connectTimeout(millis, TimeUnit.MILLISECONDS)
                    .readTimeout(millis, TimeUnit.MILLISECONDS)
                    .followRedirects(false)
                    .userAgent("huddle-core-api")
                    .register(WorkOsErrorMapper.class)
                    .register((ClientRequestFilter) request -> apiKey()
                            .ifPresent(key -> request.getHeaders().putSingle("Authorization", "Bearer " + key)))
                    .build(WorkOsApi.class);
        });
    }

    /** A failure that says WorkOS is down: no (usable) answer, or a 5xx. */
    private static boolean outage(Throwable e) {
        return e instanceof WorkOsApiException api && (api.status() == 0 || api.status() >= 500);
    }

    private void stateChanged(CircuitBreakerState state) {
        if (state == CircuitBreakerState.OPEN) {
            openUntil = Instant.now().plus(config.circuitBreaker().delay());
            LOG.warnf("WorkOS circuit breaker open: calls fail at once until %s", openUntil);
        } else {
            LOG.infof("WorkOS circuit breaker %s", state.name().toLowerCase());
        }
    }
}
