package dev.huddle.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Within a channel, outbox id order is commit order: the relay publishes in id order. */
@QuarkusTest
class OutboxCommitOrderTest {

    @Inject
    OutboxWriter outbox;

    @Inject
    Pool pool;

    @Test
    void aLaterWriterOfTheSameChannelWaitsForTheEarlierOneToCommit() throws Exception {
        String channel = Channels.room(UUID.randomUUID());
        AtomicLong firstCommitted = new AtomicLong();
        AtomicLong secondCommitted = new AtomicLong();
        AtomicLong otherCommitted = new AtomicLong();

        // the first transaction appends, then takes its time to commit
        CountDownLatch appended = new CountDownLatch(1);
        CompletableFuture<Void> first = pool.withTransaction(tx -> outbox.append(tx, channel, "test.first", Map.of())
                .invoke(appended::countDown)
                .chain(() -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(2))))
                .invoke(() -> firstCommitted.set(System.nanoTime()))
                .subscribeAsCompletionStage().toCompletableFuture();
        assertTrue(appended.await(30, TimeUnit.SECONDS), "the first writer never appended");
        // the second appends to the same channel and would commit at once
        CompletableFuture<Void> second = pool.withTransaction(tx -> outbox.append(tx, channel, "test.second", Map.of()))
                .invoke(() -> secondCommitted.set(System.nanoTime()))
                .subscribeAsCompletionStage().toCompletableFuture();
        // another channel is not held up
        pool.withTransaction(tx -> outbox.append(tx, Channels.room(UUID.randomUUID()), "test.other", Map.of()))
                .invoke(() -> otherCommitted.set(System.nanoTime())).await().indefinitely();

        CompletableFuture.allOf(first, second).get();
        assertTrue(secondCommitted.get() > firstCommitted.get(), "the second writer committed before the first");
        assertTrue(otherCommitted.get() < firstCommitted.get(), "a writer of another channel waited for the first");
        List<String> types = TestDatabase
                .sql("SELECT payload->>'type' AS type FROM realtime.outbox WHERE channel = ? ORDER BY id",
                        channel)
                .stream().map(r -> (String) r.get("type")).toList();
        assertEquals(List.of("test.first", "test.second"), types);
    }
}
