package dev.huddle.realtime.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.realtime.CentrifugoStub;
import dev.huddle.realtime.CentrifugoStub.Call;
import dev.huddle.realtime.CentrifugoStub.Received;
import dev.huddle.realtime.client.CentrifugoClient;
import dev.huddle.realtime.config.RealtimeConfig;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

@QuarkusTest
class OutboxRelayTest {

    @Inject
    Pool pool;
    @Inject
    OutboxRepository repository;
    @Inject
    CentrifugoClient centrifugo;
    @Inject
    OutboxMetrics metrics;
    @Inject
    RealtimeConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    OutboxRelay relay;

    @Test
    void theRelayListensForNotifications() {
        await().atMost(Duration.ofSeconds(10)).until(relay::listening);
    }

    @Test
    void depthAndOldestAgeAreGauged() {
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("realtime.outbox.depth").gauge() != null
                && registry.find("realtime.outbox.oldest.age.seconds").gauge() != null);
    }

    private static List<String> channels(String prefix, int n) {
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            channels.add("org:" + prefix + i + "-" + UUID.randomUUID());
        }
        return channels;
    }

    /** Each committed event accepted exactly once, and a channel's events in commit (seq) order. */
    private static void assertOncePerKeyInOrder(List<String> channels, int expectedTotal) {
        int total = 0;
        for (String channel : channels) {
            List<Received> accepted = CentrifugoStub.accepted(channel);
            Set<String> keys = new HashSet<>();
            long previous = Long.MIN_VALUE;
            for (Received r : accepted) {
                assertTrue(keys.add(r.idempotencyKey()), "published twice: " + r.idempotencyKey());
                long seq = r.params().getJsonObject("data").getJsonObject("data").getLong("seq");
                assertTrue(seq > previous, channel + ": seq " + seq + " after " + previous);
                previous = seq;
                assertEquals(r.params().getJsonObject("data").getString("id"), r.idempotencyKey());
            }
            total += accepted.size();
        }
        assertEquals(expectedTotal, total);
    }

    @Test
    void nothingIsLostWhileCentrifugoIsDownAndEachEventIsPublishedOnceInChannelOrder() {
        List<String> channels = channels("down", 4);
        var refused = CentrifugoStub.refuseConnections();
        for (int batch = 0; batch < 10; batch++) {
            Outbox.commit(channels, batch * 100, 100);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> CentrifugoStub.received().stream()
                .anyMatch(r -> channels.contains(r.channel())));
        CentrifugoStub.remove(refused);
        var unavailable = CentrifugoStub.unavailable();
        await().atMost(Duration.ofSeconds(10)).until(() -> (Long) TestDatabase.value(
                "SELECT count(*) FROM realtime.outbox WHERE channel LIKE 'org:down%' AND last_error LIKE 'HTTP 503%'") > 0);
        assertEquals(1000, Outbox.count("org:down", "pending"));
        CentrifugoStub.remove(unavailable);

        await().atMost(Duration.ofSeconds(60)).until(() -> Outbox.count("org:down", "published") == 1000);
        assertOncePerKeyInOrder(channels, 1000);
        assertEquals(0, Outbox.count("org:down", "dead"));
    }

    @Test
    void aReplicaDyingMidBatchLosesAndReordersNothing() throws Exception {
        List<String> channels = channels("dying", 2);
        String held = channels.get(0);
        try (Connection dying = passHolding(held)) {
            // what a replica holds mid-batch: the channel's lock (above) and its claimed rows
            Outbox.commit(channels, 0, 200);
            try (PreparedStatement claim = dying.prepareStatement("SELECT id FROM realtime.outbox "
                    + "WHERE channel = ? AND status = 'pending' ORDER BY id LIMIT 50 FOR UPDATE")) {
                claim.setString(1, held);
                claim.execute();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> (Long) TestDatabase.value(
                    "SELECT count(*) FROM realtime.outbox WHERE channel = ? AND status = 'published'",
                    channels.get(1)) == 100);
            assertEquals(100L, TestDatabase.value(
                    "SELECT count(*) FROM realtime.outbox WHERE channel = ? AND status = 'pending'", held));
            dying.rollback(); // the replica dies: its transaction and locks go
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Outbox.count("org:dying", "published") == 200);
        assertOncePerKeyInOrder(channels, 200);
    }

    /**
     * The pass's first statement switches its transaction to asynchronous commit (SET LOCAL semantics: the session's
     * own setting is back after the commit) and leaves a channel another pass holds alone. The session is set to
     * synchronous commit first, as PostgreSQL's default (the test server runs with it off).
     */
    @Test
    void aPassCommitsWithoutWaitingForTheWalFlushAndLeavesHeldChannelsAlone() throws Exception {
        String held = channels("async", 1).get(0);
        try (Connection other = passHolding(held)) {
            Outbox.commit(List.of(held), 0, 1);
            List<String> settings = pool.withConnection(c -> c.query("SET synchronous_commit TO on").execute()
                    .chain(() -> c.begin())
                    .chain(tx -> repository.claimDue(c, config.relay().maxChannels(), config.relay().batchSize())
                            .invoke(rows -> assertTrue(rows.stream().noneMatch(r -> r.channel().equals(held)),
                                    "claimed a row of a channel another pass holds"))
                            .chain(() -> setting(c))
                            .call(tx::rollback))
                    .chain(during -> setting(c).map(after -> List.of(during, after)))
                    .call(() -> c.query("RESET synchronous_commit").execute()))
                    .await().atMost(Duration.ofSeconds(10));
            assertEquals(List.of("off", "on"), settings);
            other.rollback();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Outbox.count("org:async", "published") == 1);
    }

    /** A transaction holding {@code channel}'s relay lock, as a pass in flight (elsewhere) does; roll it back. */
    private static Connection passHolding(String channel) throws Exception {
        Connection c = TestDatabase.admin();
        c.setAutoCommit(false);
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtext('realtime.outbox'), hashtext(?))")) {
            lock.setString(1, channel);
            lock.execute();
        }
        return c;
    }

    private static Uni<String> setting(SqlConnection c) {
        return c.query("SELECT current_setting('synchronous_commit') AS s").execute()
                .map(rows -> rows.iterator().next().getString("s"));
    }

    @Test
    void replicasRelayingConcurrentlyKeepChannelOrder() throws Exception {
        List<String> channels = channels("replicas", 3);
        RelayWorker second = new RelayWorker(pool, repository, centrifugo, metrics, config.relay());
        RelayWorker third = new RelayWorker(pool, repository, centrifugo, metrics, config.relay());
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (RelayWorker worker : List.of(second, third)) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    worker.relayOnce().await().atMost(Duration.ofSeconds(30));
                }
            });
            t.start();
            threads.add(t);
        }
        try {
            for (int batch = 0; batch < 6; batch++) {
                Outbox.commit(channels, batch * 100, 100);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> Outbox.count("org:replicas", "published") == 600);
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
        assertOncePerKeyInOrder(channels, 600);
    }

    @Test
    void aBusyReplicaRunsSeveralPassesAtOnceOnDisjointChannels() {
        List<String> channels = channels("slow", 100);
        int delay = 150;
        var slow = CentrifugoStub.slow("org:slow", delay);
        try {
            for (int batch = 0; batch < 12; batch++) {
                Outbox.commit(channels, batch * 100, 100);
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> Outbox.count("org:slow", "published") == 1200);
        } finally {
            CentrifugoStub.remove(slow);
        }
        // one pass makes its calls one after the other, each answered after the delay: a call arriving sooner
        // after the previous one comes from another pass in flight, which must hold other channels
        List<Call> calls = CentrifugoStub.calls("org:slow");
        int overlapping = 0;
        for (int i = 1; i < calls.size(); i++) {
            Call previous = calls.get(i - 1);
            Call call = calls.get(i);
            if (call.at() - previous.at() < delay) {
                overlapping++;
                assertTrue(Collections.disjoint(previous.channels(), call.channels()),
                        "passes in flight at once share a channel");
            }
        }
        assertTrue(overlapping > 0, "no two passes ran at once in " + calls.size() + " calls");
        assertOncePerKeyInOrder(channels, 1200);
    }

    @Test
    void eachAcceptedPublishIsTimedFromItsInsert() {
        long before = registry.timer("realtime.outbox.publish.latency").count();
        String channel = channels("timed", 1).get(0);
        Outbox.commit(List.of(channel), 0, 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> Outbox.count(channel, "published") == 3);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.timer("realtime.outbox.publish.latency").count() >= before + 3);
        assertTrue(registry.timer("realtime.outbox.publish.latency").max(java.util.concurrent.TimeUnit.SECONDS) < 3600,
                "latency is measured from the row's insert, not from some old time");
    }

    @Test
    void anInternalErrorIsRetriedAndHoldsBackItsChannel() {
        double failuresBefore = registry.counter("realtime.outbox.failures").count();
        String channel = channels("retry", 1).get(0);
        CentrifugoStub.channelFails(channel, 100, 2);
        Outbox.commit(List.of(channel), 0, 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> Outbox.count(channel, "published") == 5);
        List<Received> publishes = CentrifugoStub.received().stream()
                .filter(r -> r.method().equals("publish") && channel.equals(r.channel())).toList();
        // the head failed twice with 100 before anything of its channel went out
        assertEquals(100L, publishes.get(0).errorCode());
        assertEquals(100L, publishes.get(1).errorCode());
        assertEquals(publishes.get(0).idempotencyKey(), publishes.get(2).idempotencyKey());
        assertOncePerKeyInOrder(List.of(channel), 5);
        assertEquals(3, TestDatabase.value(
                "SELECT attempts FROM realtime.outbox WHERE idempotency_key = ?", publishes.get(0).idempotencyKey()));
        assertTrue(registry.counter("realtime.outbox.failures").count() >= failuresBefore + 2);
    }

    @Test
    void anUnknownChannelGoesDeadIsCountedAndDoesNotBlockTheChannel() {
        String channel = channels("dead", 1).get(0);
        double deadBefore = registry.counter("realtime.outbox.dead").count();
        String first = Outbox.commitEvent(channel, "test.happened", Map.of("seq", 1));
        String doomed = UUID.randomUUID().toString();
        var stub = CentrifugoStub.keyFails(doomed, 102);
        try {
            TestDatabase.sql("""
                    INSERT INTO realtime.outbox (channel, payload, idempotency_key)
                    VALUES (?, jsonb_build_object('type', 'test.happened', 'version', 1, 'id', ?::text,
                            'data', jsonb_build_object('seq', 2)), ?)""", channel, doomed, doomed);
            String last = Outbox.commitEvent(channel, "test.happened", Map.of("seq", 3));
            await().atMost(Duration.ofSeconds(20)).until(() -> "published".equals(Outbox.row(last).get("status")));
            Map<String, Object> dead = Outbox.row(doomed);
            assertEquals("dead", dead.get("status"));
            assertTrue(String.valueOf(dead.get("last_error")).startsWith("102"), String.valueOf(dead.get("last_error")));
            assertEquals("published", Outbox.row(first).get("status"));
            assertEquals(deadBefore + 1, registry.counter("realtime.outbox.dead").count());
        } finally {
            CentrifugoStub.remove(stub);
        }
    }

    @Test
    void aRemovedMemberIsUnsubscribedFromTheOrgAndItsRoomChannels() {
        UUID org = Tenants.org("Leaving");
        UUID standup = Tenants.room(org, "Standup");
        UUID design = Tenants.room(org, "Design");
        UUID elsewhere = Tenants.room(Tenants.org("Elsewhere"), "Lobby");
        UUID user = UUID.randomUUID();
        String channel = "org:" + org;
        Outbox.commitEvent(channel, "member.removed",
                Map.of("orgId", org.toString(), "userId", user.toString(), "role", "member", "status", "removed"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Outbox.count(channel, "published") == 1);
        Set<String> unsubscribed = new HashSet<>();
        CentrifugoStub.received().stream()
                .filter(r -> r.method().equals("unsubscribe") && r.accepted()
                        && user.toString().equals(r.params().getString("user")))
                .forEach(r -> unsubscribed.add(r.channel()));
        assertEquals(Set.of(channel, "room:" + standup, "room:" + design), unsubscribed);
        assertFalse(unsubscribed.contains("room:" + elsewhere));
    }

    @Test
    void aDeactivatedMemberOfAnOrgWithoutRoomsLosesTheOrgChannel() {
        UUID org = Tenants.org("Roomless");
        UUID user = UUID.randomUUID();
        String channel = "org:" + org;
        Outbox.commitEvent(channel, "member.updated",
                Map.of("orgId", org.toString(), "userId", user.toString(), "role", "member", "status", "inactive"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Outbox.count(channel, "published") == 1);
        assertEquals(List.of(channel), CentrifugoStub.received().stream()
                .filter(r -> r.method().equals("unsubscribe") && user.toString().equals(r.params().getString("user")))
                .map(Received::channel).toList());
    }

    @Test
    void aMemberEventWithAMalformedOrgIdIsPublishedWithoutUnsubscribing() {
        String channel = channels("malformed", 1).get(0);
        String user = UUID.randomUUID().toString();
        Outbox.commitEvent(channel, "member.removed",
                Map.of("orgId", "not-a-uuid", "userId", user, "role", "member", "status", "removed"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Outbox.count(channel, "published") == 1);
        assertTrue(CentrifugoStub.received().stream()
                .noneMatch(r -> r.method().equals("unsubscribe") && user.equals(r.params().getString("user"))));
    }

    @Test
    void anActiveMemberUpdateUnsubscribesNobody() {
        UUID org = UUID.randomUUID();
        String channel = "org:" + org;
        Outbox.commitEvent(channel, "member.updated",
                Map.of("orgId", org.toString(), "userId", UUID.randomUUID().toString(), "role", "admin",
                        "status", "active"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Outbox.count(channel, "published") == 1);
        assertTrue(CentrifugoStub.received().stream()
                .noneMatch(r -> r.method().equals("unsubscribe") && channel.equals(r.channel())));
    }

    @Test
    void publishedRowsPastTheirRetentionArePruned() {
        String key = Outbox.commitEvent("org:" + UUID.randomUUID(), "test.happened", Map.of("seq", 1));
        await().atMost(Duration.ofSeconds(20)).until(() -> "published".equals(Outbox.row(key).get("status")));
        TestDatabase.sql("UPDATE realtime.outbox SET published_at = now() - interval '25 hours' WHERE idempotency_key = ?",
                key);
        int pruned = repository.prune(config.relay().retention()).await().atMost(Duration.ofSeconds(10));
        assertTrue(pruned >= 1);
        assertEquals(0L, TestDatabase.value("SELECT count(*) FROM realtime.outbox WHERE idempotency_key = ?", key));
    }
}
