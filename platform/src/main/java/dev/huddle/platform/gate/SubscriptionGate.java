package dev.huddle.platform.gate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.huddle.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * RequireActiveSubscription: reads the org's row of {@code billing.org_entitlements} (billing-service is its only
 * writer) and refuses an org that is not entitled with 402. Off by default (the interim, ungated until Stripe is
 * live); billing routes are exempt so a lapsed org can pay. Runs after the membership check (outsiders get 404,
 * not a hint that the org lapsed) and before the role check.
 */
@ApplicationScoped
public class SubscriptionGate {

    /** Response header while a past_due org is inside its grace period: {@code past_due; grace-ends-at=<ISO>}. */
    public static final String STATUS_HEADER = "Subscription-Status";

    private static final String FIND = """
            SELECT entitled, reason, grace_ends_at FROM billing.org_entitlements WHERE org_id = $1""";

    private final GateConfig config;
    private final Pool pool;

    public SubscriptionGate(GateConfig config, Pool pool) {
        this.config = config;
        this.pool = pool;
    }

    /**
     * @return the entitlement when the gate applies and lets the request through; null when the gate does not
     *         apply; a failed Uni (402) when the org is not entitled
     */
    public Uni<Entitlement> check(UUID orgId, String path) {
        if (config.mode() == GateConfig.Mode.OFF || exempt(path)) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery(FIND).execute(Tuple.of(orgId)).map(rows -> {
            Entitlement e = Entitlement.NONE;
            for (Row row : rows) {
                e = new Entitlement(row.getBoolean("entitled"), row.getString("reason"),
                        row.getOffsetDateTime("grace_ends_at"));
            }
            if (!e.entitled()) {
                throw new ProblemException(Response.Status.PAYMENT_REQUIRED, "subscription-required",
                        "the organization has no active subscription (" + e.reason() + "); an admin can renew it in billing",
                        List.of(), Map.of());
            }
            return e;
        });
    }

    private boolean exempt(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return config.exemptPaths().stream().anyMatch(p::startsWith);
    }
}
