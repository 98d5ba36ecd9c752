package dev.huddle.billing.seats;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import com.stripe.param.SubscriptionItemUpdateParams;
import com.stripe.param.SubscriptionItemUpdateParams.ProrationBehavior;

import dev.huddle.billing.config.BillingConfig;
import dev.huddle.billing.customers.CustomerRepository;
import dev.huddle.billing.stripe.StripeApi;
import dev.huddle.billing.subscriptions.SubscriptionRepository;
import dev.huddle.billing.sync.BlockingTransaction;
import dev.huddle.billing.sync.SyncStripeDataForOrg;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Keeps an org's Stripe quantity equal to its active members. Always sets the quantity absolutely from the current
 * count (never from deltas), one writer per org (an advisory lock), then re-syncs. Blocking.
 */
@ApplicationScoped
public class SeatSync {

    private static final Logger LOG = Logger.getLogger(SeatSync.class);

    private final Pool pool;
    private final StripeApi stripe;
    private final SeatChangeRepository changes;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final SyncStripeDataForOrg sync;
    private final SeatFailureRepository failures;
    private final BillingConfig.Seats config;

    public SeatSync(Pool pool, StripeApi stripe, SeatChangeRepository changes, SubscriptionRepository subscriptions,
            CustomerRepository customers, SyncStripeDataForOrg sync, SeatFailureRepository failures,
            BillingConfig config) {
        this.pool = pool;
        this.stripe = stripe;
        this.changes = changes;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.sync = sync;
        this.failures = failures;
        this.config = config.seats();
    }

    /** Orgs with unprocessed membership changes that are due (not backing off after a failure, not dead). */
    public List<UUID> orgsWithChanges(int limit) {
        return changes.pendingOrgs(limit).await().indefinitely();
    }

    /**
     * Applies an org's pending membership changes: skipped when another worker holds the org; otherwise the
     * change rows seen here are marked processed only after Stripe holds the count read after them, and the org's
     * earlier failures are forgotten.
     */
    public void processChanges(UUID orgId) throws StripeException {
        boolean synced = BlockingTransaction.run(pool, tx -> {
            if (!changes.tryLock(tx, orgId).await().indefinitely()) {
                return false;
            }
            List<Long> ids = changes.pendingChanges(tx, orgId).await().indefinitely();
            if (!ids.isEmpty()) {
                apply(orgId, "c" + ids.get(0));
                changes.markProcessed(tx, ids).await().indefinitely();
            }
            return true;
        });
        if (synced) {
            failures.cleared(orgId).await().indefinitely();
        }
    }

    /**
     * Nightly: re-reads every subscribed org from Stripe and repairs a quantity that drifted from its members.
     *
     * @return how many orgs were repaired
     */
    public int reconcile() {
        List<UUID> orgs = subscriptions.subscribedOrgs().await().indefinitely();
        String nonce = "r" + LocalDate.now(ZoneOffset.UTC);
        int repaired = 0;
        for (UUID orgId : orgs) {
            try {
                boolean changed = BlockingTransaction.run(pool, tx -> {
                    changes.lock(tx, orgId).await().indefinitely();
                    sync.run(orgId);
                    return apply(orgId, nonce);
                });
                // the quantity is right now: an org that was failing (even dead) is in step again
                failures.cleared(orgId).await().indefinitely();
                if (changed) {
                    repaired++;
                }
            } catch (Exception e) {
                LOG.warnf("seat reconciliation of org %s failed: %s", orgId, e.getMessage());
            }
        }
        LOG.infof("seat reconciliation: %d subscribed orgs checked, %d repaired", orgs.size(), repaired);
        return repaired;
    }

    /** Sets the Stripe quantity to the active members when they differ; true when it changed something. */
    boolean apply(UUID orgId, String nonce) throws StripeException {
        SubscriptionRepository.Seats sub = subscriptions.seats(orgId).await().indefinitely();
        if (sub == null || sub.itemId() == null || !SyncStripeDataForOrg.LIVE.contains(sub.status())) {
            return false;
        }
        String itemId = sub.itemId();
        int members = customers.activeMembers(orgId).await().indefinitely();
        Integer quantity = sub.quantity();
        if (quantity != null && quantity == members) {
            return false;
        }
        boolean up = quantity == null || members > quantity;
        ProrationBehavior proration = proration(up ? config.prorationUp() : config.prorationDown());
        // keyed by the target quantity and the batch (or the day, for reconciliation): a retry of the same work
        // is deduplicated, while going back to an earlier quantity later (3 -> 4 -> 3 -> 4) is not swallowed
        String key = "seats-" + orgId + "-" + members + "-" + nonce;
        stripe.client().v1().subscriptionItems().update(itemId, SubscriptionItemUpdateParams.builder()
                .setQuantity((long) members)
                .setProrationBehavior(proration)
                .build(), RequestOptions.builder().setIdempotencyKey(key).build());
        LOG.infof("org %s seats %s -> %d (%s)", orgId, quantity, members, proration.getValue());
        sync.run(orgId);
        return true;
    }

    static ProrationBehavior proration(String value) {
        for (ProrationBehavior p : ProrationBehavior.values()) {
            if (p.getValue().equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown proration_behavior " + value);
    }
}
