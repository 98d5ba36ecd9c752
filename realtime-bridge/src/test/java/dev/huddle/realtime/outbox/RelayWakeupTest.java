package dev.huddle.realtime.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Writers NOTIFY only an idle relay: while a replica advertises itself busy in {@code realtime.relay_replicas} they
 * skip it, and the rows still go out (a busy replica, or polling, takes them).
 */
@QuarkusTest
class RelayWakeupTest {

    @Inject
    Pool pool;
    @Inject
    OutboxWriter writer;

    private void append(String channel, int seq) {
        pool.withTransaction(tx -> writer.append(tx, channel, "test.happened", Map.of("seq", seq)))
                .await().atMost(Duration.ofSeconds(10));
    }

    private static long busyReplicas() {
        return (Long) TestDatabase.value(
                "SELECT count(*) FROM realtime.relay_replicas WHERE busy_until > clock_timestamp()");
    }

    /** Notifications on {@code realtime_outbox} that reach {@code listener} within {@code wait}. */
    private static int notifications(Connection listener, Duration wait) throws SQLException {
        PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications((int) wait.toMillis());
        return received == null ? 0 : received.length;
    }

    @Test
    void aWriterNotifiesAnIdleRelayButNotABusyOne() throws Exception {
        UUID fake = UUID.randomUUID();
        try (Connection listener = TestDatabase.admin(); Statement st = listener.createStatement()) {
            st.execute("LISTEN " + OutboxWriter.NOTIFY_CHANNEL);
            await().atMost(Duration.ofSeconds(20)).until(() -> busyReplicas() == 0);
            notifications(listener, Duration.ofMillis(10)); // drain

            append("org:" + UUID.randomUUID(), 1);
            assertEquals(1, notifications(listener, Duration.ofSeconds(5)), "an idle relay is woken");

            TestDatabase.sql("INSERT INTO realtime.relay_replicas (replica, busy_until) VALUES (?, now() + interval '1 hour')",
                    fake);
            String channel = "org:" + UUID.randomUUID();
            append(channel, 1);
            assertEquals(0, notifications(listener, Duration.ofSeconds(1)), "a busy relay is not notified");
            // the row goes out all the same: here by polling, since the 'busy' replica is a fake
            await().atMost(Duration.ofSeconds(20)).until(() -> Outbox.count(channel, "published") == 1);
        } finally {
            TestDatabase.sql("DELETE FROM realtime.relay_replicas WHERE replica = ?", fake);
        }
    }

    @Test
    void aReplicaAdvertisesItselfBusyWhileRelayingABurstAndIdleAfter() {
        List<String> channels = List.of("org:burst-a-" + UUID.randomUUID(), "org:burst-b-" + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(20)).until(() -> busyReplicas() == 0);
        Outbox.commit(channels, 0, 3000);
        await().atMost(Duration.ofSeconds(30)).until(() -> busyReplicas() == 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> Outbox.count("org:burst-", "published") == 3000);
        await().atMost(Duration.ofSeconds(20)).until(() -> busyReplicas() == 0);
        assertTrue((Long) TestDatabase.value("SELECT count(*) FROM realtime.relay_replicas") >= 1);
    }
}
