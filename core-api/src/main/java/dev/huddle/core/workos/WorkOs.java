package dev.huddle.core.workos;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.ws.rs.client.ClientRequestFilter;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import dev.huddle.core.config.WorkOsConfig;
import dev.huddle.core.workos.WorkOsWire.Authenticate;
import dev.huddle.core.workos.WorkOsWire.Authentication;
import dev.huddle.core.workos.WorkOsWire.Event;
import dev.huddle.core.workos.WorkOsWire.Invitation;
import dev.huddle.core.workos.WorkOsWire.InvitationRequest;
import dev.huddle.core.workos.WorkOsWire.Membership;
import dev.huddle.core.workos.WorkOsWire.RoleUpdate;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;

/**
 * core-api's one way to WorkOS: its REST clients ({@link WorkOsApi} with the secret key as bearer token,
 * {@link WorkOsAuthApi} for sign-in), each call with the timeout its caller configures, behind one circuit breaker
 * ({@code huddle.workos.circuit-breaker.*}).
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

    /** The most a WorkOS list gives per page. */
    public static final int PAGE_SIZE = 100;
    /** Every membership status, so a list shows inactive and pending ones too (WorkOS's default is active only). */
    static final String ALL_STATUSES = "active,inactive,pending";

    @SuppressWarnings("rawtypes")
    private static final TypeLiteral<Uni> UNI = new TypeLiteral<>() {
    };

    private final WorkOsConfig config;
    private final Guard breaker;
    private final Map<Duration, WorkOsApi> apis = new ConcurrentHashMap<>();
    private final Map<Duration, WorkOsAuthApi> authApis = new ConcurrentHashMap<>();
    private volatile Instant openUntil;

    public WorkOs(WorkOsConfig config) {
        this.config = config;
        WorkOsConfig.CircuitBreaker cb = config.circuitBreaker();
        this.breaker = Guard.create()
                .withDescription("WorkOS")
                .withThreadOffload(false)
                .withCircuitBreaker()
                .requestVolumeThreshold(cb.requestVolume())
                .failureRatio(cb.failureRatio())
                .delay(cb.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(cb.successThreshold())
                .when(WorkOs::outage)
                .onStateChange(this::stateChanged)
                .done()
                .build();
    }

    @PreDestroy
    void close() {
        apis.values().forEach(WorkOs::close);
        authApis.values().forEach(WorkOs::close);
    }

    /** Whether the API key is set. */
    public boolean configured() {
        return config.apiKey().filter(key -> !key.isBlank()).isPresent();
    }

    // --- Events API ---

    /** {@code GET /events?events=..&limit=..&order=..[&after=..]}. */
    public Uni<WorkOsList<Event>> events(List<String> types, String after, int limit, String order, Duration timeout) {
        return call("GET /events", () -> api(timeout).events(String.join(",", types),
                Math.max(1, Math.min(PAGE_SIZE, limit)), order, after));
    }

    // --- lists, oldest first, a page of PAGE_SIZE ---

    public Uni<WorkOsList<Map<String, Object>>> organizations(String after, Duration timeout) {
        return call("GET /organizations", () -> api(timeout).organizations(PAGE_SIZE, "asc", after));
    }

    public Uni<WorkOsList<Map<String, Object>>> users(String after, Duration timeout) {
        return call("GET /user_management/users", () -> api(timeout).users(PAGE_SIZE, "asc", after));
    }

    /** The memberships of one organization, every status. */
    public Uni<WorkOsList<Map<String, Object>>> memberships(String organizationId, String after, Duration timeout) {
        return call("GET /user_management/organization_memberships",
                () -> api(timeout).memberships(organizationId, ALL_STATUSES, PAGE_SIZE, "asc", after));
    }

    // --- memberships ---

    /**
     * {@code PUT /user_management/organization_memberships/{id}/deactivate}: the membership as WorkOS has it after
     * (deactivating an inactive one changes nothing; a pending one is refused with 400
     * {@code cannot_deactivate_pending_organization_membership}).
     */
    public Uni<Membership> deactivate(String membershipId, Duration timeout) {
        return call("PUT .../deactivate", () -> api(timeout).deactivate(membershipId));
    }

    /**
     * {@code PUT /user_management/organization_memberships/{id}/reactivate}: the membership as WorkOS has it after,
     * with its roles kept (reactivating an active one changes nothing; a pending one is refused with 400
     * {@code cannot_reactivate_pending_organization_membership}).
     */
    public Uni<Membership> reactivate(String membershipId, Duration timeout) {
        return call("PUT .../reactivate", () -> api(timeout).reactivate(membershipId));
    }

    /** {@code PUT /user_management/organization_memberships/{id}} with {@code {"role_slug": ...}}. */
    public Uni<Membership> updateRole(String membershipId, String roleSlug, Duration timeout) {
        return call("PUT /user_management/organization_memberships/{id}",
                () -> api(timeout).updateMembership(membershipId, new RoleUpdate(roleSlug)));
    }

    /** {@code DELETE /user_management/organization_memberships/{id}}: 204; 404 when WorkOS does not have it. */
    public Uni<Void> deleteMembership(String membershipId, Duration timeout) {
        return call("DELETE /user_management/organization_memberships/{id}",
                () -> api(timeout).deleteMembership(membershipId));
    }

    // --- invitations ---

    /** {@code POST /user_management/invitations}: WorkOS emails the invitee. */
    public Uni<Invitation> invite(InvitationRequest request, Duration timeout) {
        return call("POST /user_management/invitations", () -> api(timeout).invite(request));
    }

    public Uni<Invitation> revokeInvitation(String invitationId, Duration timeout) {
        return call("POST .../invitations/{id}/revoke", () -> api(timeout).revokeInvitation(invitationId));
    }

    public Uni<Invitation> resendInvitation(String invitationId, Duration timeout) {
        return call("POST .../invitations/{id}/resend", () -> api(timeout).resendInvitation(invitationId));
    }

    // --- sign-in ---

    /** {@code POST /user_management/authenticate} with a grant and our client's credentials. */
    public Uni<Authentication> authenticate(Authenticate grant, Duration timeout) {
        return call("POST /user_management/authenticate", () -> authApi(timeout).authenticate(grant));
    }

    /** The API base URL, without a trailing slash. */
    public String baseUrl() {
        String url = config.apiBase().strip();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    // --- the one call path ---

    @SuppressWarnings("unchecked")
    private <T> Uni<T> call(String what, Supplier<Uni<T>> send) {
        Supplier<Uni> guarded = () -> send.get()
                // only the kind: a message might quote what was sent (a token, a secret)
                .onFailure(e -> !(e instanceof WorkOsApiException))
                .transform(e -> new WorkOsApiException(what + " failed: no usable answer ("
                        + e.getClass().getSimpleName() + ")", e));
        return ((Uni<T>) breaker.get(guarded, UNI))
                .onFailure(CircuitBreakerOpenException.class)
                .transform(e -> new WorkOsApiException(what + " not sent: WorkOS failed repeatedly, calls are held "
                        + "until " + openUntil, 0, "circuit_open", openUntil, null));
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

    private WorkOsApi api(Duration timeout) {
        return apis.computeIfAbsent(timeout, t -> builder(t)
                .register((ClientRequestFilter) request -> request.getHeaders().putSingle("Authorization",
                        "Bearer " + config.apiKey().orElseThrow()))
                .build(WorkOsApi.class));
    }

    private WorkOsAuthApi authApi(Duration timeout) {
        return authApis.computeIfAbsent(timeout, t -> builder(t).build(WorkOsAuthApi.class));
    }

    private QuarkusRestClientBuilder builder(Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl()))
                .connectTimeout(millis, TimeUnit.MILLISECONDS)
                .readTimeout(millis, TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .userAgent("huddle-core-api")
                .register(WorkOsErrorMapper.class);
    }

    private static void close(Object client) {
        if (client instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                LOG.debugf(e, "closing a WorkOS client");
            }
        }
    }
}
