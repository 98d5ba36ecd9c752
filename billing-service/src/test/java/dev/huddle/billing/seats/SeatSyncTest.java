package dev.huddle.billing.seats;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.huddle.billing.BillingFixtures.stripe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.huddle.billing.BillingFixtures;
import dev.huddle.billing.sync.SyncStripeDataForOrg;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SeatSyncTest {

    @Inject
    SyncStripeDataForOrg sync;

    @Inject
    SeatWorker worker;

    private static int activeMembers(UUID org) {
        return (Integer) TestDatabase.value("SELECT active_members FROM core.org_seat_counts WHERE org_id = ?", org);
    }

    private static Integer storedQuantity(UUID org) {
        return (Integer) TestDatabase.value("SELECT quantity FROM billing.org_subscriptions WHERE org_id = ?", org);
    }

    private static long pendingChanges(UUID org) {
        return (Long) TestDatabase.value(
                "SELECT count(*) FROM billing.seat_changes WHERE org_id = ? AND processed_at IS NULL", org);
    }

    private static void seatChange(UUID org, String reason) {
        TestDatabase.sql("INSERT INTO billing.seat_changes (org_id, reason) VALUES (?, ?)", org, reason);
    }

    private static List<LoggedRequest> quantityUpdates(String itemId) {
        return stripe().wireMock().find(postRequestedFor(urlPathEqualTo("/v1/subscription_items/" + itemId)));
    }

    @Test
    void concurrentMemberAddsAndRemovesEndWithStripeQuantityEqualToMembers() throws Exception {
        UUID org = Tenants.org("Growing");
        Tenants.memberOf(org, "owner");
        List<Tenants.TestUser> leaving = List.of(Tenants.memberOf(org, "member"), Tenants.memberOf(org, "member"),
                Tenants.memberOf(org, "member"));
        String customer = BillingFixtures.customerOf(org);
        var sub = stripe().subscription(customer, "active").quantity(4).remembered().stub();
        sync.run(org);
        assertEquals(4, storedQuantity(org));

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Void>> changes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                changes.add(() -> {
                    Tenants.memberOf(org, "member");
                    seatChange(org, "member added");
                    return null;
                });
            }
            for (Tenants.TestUser user : leaving) {
                changes.add(() -> {
                    Tenants.member(org, user, "member", "inactive");
                    seatChange(org, "member removed");
                    return null;
                });
            }
            for (var f : pool.invokeAll(changes)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(9, activeMembers(org));

        BillingFixtures.await("Stripe quantity = members", Duration.ofSeconds(30),
                () -> pendingChanges(org) == 0 && Integer.valueOf(9).equals(storedQuantity(org)));
        List<LoggedRequest> updates = quantityUpdates(sub.itemId);
        LoggedRequest last = updates.get(updates.size() - 1);
        assertEquals("9", last.formParameters().get("quantity").firstValue());
        // the worker may have synced mid-way (say up to 12, then down to 9): the last update's proration
        // follows its own direction, from the quantity before it
        int before = updates.size() < 2 ? 4
                : Integer.parseInt(updates.get(updates.size() - 2).formParameters().get("quantity").firstValue());
        assertEquals(9 > before ? "create_prorations" : "none",
                last.formParameters().get("proration_behavior").firstValue());
        assertTrue(last.getHeader("Idempotency-Key").startsWith("seats-" + org + "-9"));
    }

    @Test
    void aMemberRemovedLowersTheQuantityWithoutProration() throws Exception {
        UUID org = Tenants.org("Shrinking");
        Tenants.memberOf(org, "owner");
        var leaver = Tenants.memberOf(org, "member");
        String customer = BillingFixtures.customerOf(org);
        var sub = stripe().subscription(customer, "active").quantity(2).remembered().stub();
        sync.run(org);

        Tenants.member(org, leaver, "member", "inactive");
        seatChange(org, "member removed");

        BillingFixtures.await("quantity 1", Duration.ofSeconds(20), () -> Integer.valueOf(1).equals(storedQuantity(org)));
        LoggedRequest update = quantityUpdates(sub.itemId).get(0);
        assertEquals("1", update.formParameters().get("quantity").firstValue());
        assertEquals("none", update.formParameters().get("proration_behavior").firstValue());
    }

    @Test
    void reconciliationRepairsDriftAndLeavesTheRestAlone() throws Exception {
        UUID drifted = Tenants.org("Drifted");
        Tenants.memberOf(drifted, "owner");
        Tenants.memberOf(drifted, "member");
        var driftedSub = stripe().subscription(BillingFixtures.customerOf(drifted), "active").quantity(6).remembered()
                .stub();
        sync.run(drifted);

        UUID fine = Tenants.org("In step");
        Tenants.memberOf(fine, "owner");
        var fineSub = stripe().subscription(BillingFixtures.customerOf(fine), "active").quantity(1).remembered().stub();
        sync.run(fine);

        assertTrue(worker.runReconciliation());

        assertEquals(2, storedQuantity(drifted));
        assertEquals("2", quantityUpdates(driftedSub.itemId).get(0).formParameters().get("quantity").firstValue());
        assertEquals(1, storedQuantity(fine));
        assertEquals(0, quantityUpdates(fineSub.itemId).size());
    }
}
