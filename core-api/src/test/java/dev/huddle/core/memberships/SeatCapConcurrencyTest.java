package dev.huddle.core.memberships;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.platform.problem.ProblemException;
import dev.huddle.platform.tenancy.Role;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** The seat-limit race (a seed blocker): concurrent adds never exceed the plan's seat cap. */
@QuarkusTest
class SeatCapConcurrencyTest {

    @Inject
    MembershipService memberships;

    @Test
    void fiftyConcurrentAcceptancesIntoACapOfTenLetExactlyTenIn() throws Exception {
        UUID org = Tenants.org("Capped");
        capSeats(org, 10);
        List<TestUser> users = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            users.add(Tenants.user());
        }
        AtomicInteger refused = new AtomicInteger();
        List<Callable<Boolean>> adds = users.stream().<Callable<Boolean>> map(u -> () -> {
            try {
                memberships.apply(new MembershipChange(org, u.id(), Transition.add(Role.MEMBER), Actor.invitee(u.id())))
                        .await().indefinitely();
                return true;
            } catch (ProblemException e) {
                assertEquals("seat-limit", e.slug());
                refused.incrementAndGet();
                return false;
            }
        }).toList();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long added = 0;
        for (Future<Boolean> f : pool.invokeAll(adds)) {
            added += f.get() ? 1 : 0;
        }
        pool.shutdown();

        assertEquals(10, added);
        assertEquals(40, refused.get());
        assertEquals(10L, count("SELECT count(*) FROM core.memberships WHERE org_id = ? AND status = 'active'", org));
        assertEquals(10L, count("SELECT count(*) FROM core.membership_history WHERE org_id = ?", org));
        assertEquals(10L, count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", org));
    }

    @Test
    void throughTheApiTooTheCapHoldsPendingInvitationsIncludedAndTheRefusalIs409() throws Exception {
        UUID org = Tenants.org("Capped API");
        TestUser owner = Tenants.memberOf(org, "owner");
        capSeats(org, 5); // the owner holds one seat
        List<Callable<Integer>> adds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String email = "capped-" + i + "-" + UUID.randomUUID() + "@example.test";
            adds.add(() -> RestAssured.given().auth().oauth2(owner.token()).contentType("application/json")
                    .body("{\"email\": \"" + email + "\", \"role\": \"member\"}")
                    .post("/v1/orgs/{orgId}/invitations", org).statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(adds)) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertEquals(4, statuses.stream().filter(s -> s == 201).count());
        assertEquals(16, statuses.stream().filter(s -> s == 409).count());
        assertEquals(1L, count("SELECT count(*) FROM core.memberships WHERE org_id = ? AND status = 'active'", org));
        assertEquals(4L, count("SELECT count(*) FROM core.invitations WHERE org_id = ? AND state = 'pending'", org));
    }

    private static void capSeats(UUID org, int cap) {
        TestDatabase.sql("""
                INSERT INTO billing.org_subscriptions (org_id, stripe_subscription_id, status, seat_cap)
                VALUES (?, ?, 'active', ?)""", org, "sub_" + UUID.randomUUID(), cap);
    }

    private static long count(String sql, Object... params) {
        return ((Number) TestDatabase.value(sql, params)).longValue();
    }
}
