package dev.huddle.systemtests;

import static dev.huddle.systemtests.Api.as;
import static dev.huddle.systemtests.Api.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.huddle.systemtests.CentrifugoStub.Publication;

/**
 * {@code kill -9} of realtime-bridge while chat messages are being committed, then a restart: every message reaches
 * Centrifugo once (a republish after the kill carries the same idempotency key, which Centrifugo answers without
 * publishing again), in commit order on its room's channel.
 */
@ExtendWith(SystemStack.class)
class RealtimeCrashIT {

    static final int MESSAGES = Integer.getInteger("huddle.system-tests.messages", 300);
    static final int ROOMS = 4;

    @Test
    void everyCommittedMessageIsPublishedOnceInOrderAcrossAKill(Stack stack) throws Exception {
        Tenant tenant = Tenant.entitled(stack, "Relay Crash Co");
        List<UUID> rooms = new ArrayList<>();
        for (int r = 0; r < ROOMS; r++) {
            int n = r;
            rooms.add(stack.step("create room " + r, stack.core, () -> UUID.fromString(as(stack.core,
                    tenant.owner().token()).body(Map.of("name", "Room " + n))
                    .post("/v1/orgs/{org}/rooms", tenant.org()).then().statusCode(201).extract().path("id"))));
        }
        // one writer per room: each room's commit order is its writer's order
        List<List<String>> committed = new ArrayList<>();
        rooms.forEach(r -> committed.add(Collections.synchronizedList(new ArrayList<>())));
        ExecutorService writers = Executors.newFixedThreadPool(ROOMS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < ROOMS; r++) {
                UUID room = rooms.get(r);
                List<String> ids = committed.get(r);
                done.add(writers.submit(() -> {
                    for (int i = 0; i < MESSAGES / ROOMS; i++) {
                        ids.add(as(stack.core, tenant.owner().token()).body(Map.of("body", "message " + i))
                                .post("/v1/orgs/{org}/rooms/{room}/messages", tenant.org(), room)
                                .then().statusCode(201).extract().<String> path("id"));
                    }
                }));
            }
            stack.step("kill -9 realtime-bridge while messages are committed", stack.realtime, () -> {
                await("a third published", Duration.ofSeconds(90), () -> published(stack, rooms) >= MESSAGES / 3);
                stack.realtime.kill();
            });
            stack.step("messages are committed while realtime-bridge is down", stack.core, () -> {
                for (Future<?> f : done) {
                    try {
                        f.get();
                    } catch (Exception e) {
                        throw new AssertionError("posting failed: " + e.getMessage(), e);
                    }
                }
            });
        } finally {
            writers.shutdownNow();
        }
        assertTrue(published(stack, rooms) < MESSAGES, "the kill came after every message was published");

        stack.step("realtime-bridge restarts", stack.realtime, () -> stack.restart(stack.realtime));

        stack.step("every message is published once, in commit order, on its room's channel", stack.realtime, () -> {
            await("every message published", Duration.ofSeconds(90), () -> published(stack, rooms) >= MESSAGES);
            for (int r = 0; r < ROOMS; r++) {
                List<Publication> channel = stack.centrifugo.published("room:" + rooms.get(r));
                assertEquals(committed.get(r), DayInTheLifeIT.created(channel), "room " + r + " in commit order");
                assertTrue(channel.stream().allMatch(p -> p.idempotencyKey() != null),
                        "every publish carries an idempotency key");
            }
        });
    }

    private static int published(Stack stack, List<UUID> rooms) {
        return rooms.stream().mapToInt(r -> DayInTheLifeIT.created(stack.centrifugo.published("room:" + r)).size())
                .sum();
    }
}
