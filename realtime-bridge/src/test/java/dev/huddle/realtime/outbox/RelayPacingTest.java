package dev.huddle.realtime.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A busy replica relays a steady stream a few rows per pass: a pass that caught up lets rows gather for
 * {@code busy-linger} (here 50 ms, to tell it from machine noise) before the next ones, and the replica stays busy
 * throughout, so writers keep skipping their NOTIFY.
 */
@QuarkusTest
@TestProfile(RelayPacingTest.Linger.class)
class RelayPacingTest {

    public static class Linger implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("huddle.realtime.relay.busy-linger", "50ms");
        }
    }

    @Inject
    OutboxRelay relay;

    @Inject
    OutboxWriter writer;

    @Inject
    Pool pool;

    /** Ten rows round-robin over {@code channels} in one transaction, through the writers' own code (NOTIFY and all). */
    private void commitTen(List<String> channels, int firstSeq) {
        pool.withTransaction(tx -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (int i = 0; i < 10; i++) {
                int seq = firstSeq + i;
                chain = chain.chain(() -> writer.append(tx, channels.get(seq % channels.size()), "test.happened",
                        Map.of("seq", seq)));
            }
            return chain;
        }).await().atMost(Duration.ofSeconds(10));
    }

    private static long busyReplicas() {
        return (Long) TestDatabase.value(
                "SELECT count(*) FROM realtime.relay_replicas WHERE busy_until > clock_timestamp()");
    }

    @Test
    void aBusyReplicaRelaysASteadyStreamSeveralRowsPerPass() throws Exception {
        String prefix = "org:steady-" + UUID.randomUUID() + "-";
        List<String> channels = List.of(prefix + "a", prefix + "b");
        await().atMost(Duration.ofSeconds(20)).until(() -> busyReplicas() == 0);
        long passesBefore = relay.passesEnded();
        // a steady stream: 10 rows every 20 ms for 2 s, committed as writers commit (NOTIFY unless a replica is busy)
        AtomicInteger commits = new AtomicInteger();
        AtomicLong busyAtLastCommit = new AtomicLong(-1);
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try {
            writer.scheduleAtFixedRate(() -> {
                int n = commits.get();
                if (n < 100) {
                    commitTen(channels, n * 10);
                    if (commits.incrementAndGet() == 100) {
                        busyAtLastCommit.set(busyReplicas());
                    }
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> Outbox.count(prefix, "published") == 1000);
        } finally {
            writer.shutdownNow();
        }
        long passes = relay.passesEnded() - passesBefore;

        // without the pause, a pass (or more) per commit: the replica, idle between commits, is notified by each;
        // with it, the replica turns busy after three passes and then runs one pass per slot and 50 ms (2 slots, about
        // 2 s: about 80 at most), a slow machine only making fewer
        assertTrue(passes < 100, passes + " passes for 1,000 rows in 100 commits");
        assertEquals(1, busyAtLastCommit.get(), "the replica was busy at the end of the stream");
    }
}
