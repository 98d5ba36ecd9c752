package dev.huddle.billing.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class InboxPruneTest {

    @Inject
    InboxRepository inbox;

    @Test
    void onlyFinishedEventsPastTheRetentionArePruned() {
        String oldDone = insert("done", "40 days");
        String oldIgnored = insert("ignored", "40 days");
        String recentDone = insert("done", "1 day");
        String oldDead = insert("dead", "40 days");
        String oldPending = insert("pending", "40 days");

        inbox.prune(Duration.ofDays(30)).await().indefinitely();

        List<String> left = TestDatabase
                .sql("SELECT id FROM billing.stripe_event_inbox WHERE id IN (?, ?, ?, ?, ?) ORDER BY id",
                        oldDone, oldIgnored, recentDone, oldDead, oldPending)
                .stream().map(r -> (String) r.get("id")).sorted().toList();
        assertEquals(List.of(recentDone, oldDead, oldPending).stream().sorted().toList(), left);
    }

    private static String insert(String status, String age) {
        String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
        TestDatabase.sql("INSERT INTO billing.stripe_event_inbox (id, type, stripe_created, payload, status, received_at, "
                + "processed_at) VALUES (?, 'invoice.paid', now() - interval '" + age + "', '{}'::jsonb, ?, "
                + "now() - interval '" + age + "', CASE WHEN ? IN ('done', 'ignored', 'dead') THEN now() - interval '"
                + age + "' END)", id, status, status);
        return id;
    }
}
