package dev.huddle.core.chat;

import static dev.huddle.core.chat.Chat.posted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.Tenants.TestUser;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * reply_count is maintained in the transactions that insert and delete replies, without triggers: these tests
 * hammer one thread from several members at once and compare it with the replies that are really there.
 */
@QuarkusTest
@TestProfile(ChatTestProfile.class)
class ConcurrentRepliesTest {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ExecutorService pool;
    /** For the second delete of a double delete, so that a task never waits on the pool it runs in. */
    private ExecutorService helpers;
    private UUID org;
    private UUID room;
    private TestUser admin;
    private final List<TestUser> members = new ArrayList<>();

    @BeforeEach
    void tenants() {
        pool = Executors.newFixedThreadPool(8);
        helpers = Executors.newCachedThreadPool();
        org = Tenants.org("Crowded");
        room = Tenants.room(org, "General");
        admin = Tenants.memberOf(org, "admin");
        members.clear();
        for (int i = 0; i < 8; i++) {
            members.add(Tenants.memberOf(org, "member"));
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ExecutorService executor : List.of(pool, helpers)) {
            executor.shutdownNow();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void replyCountStaysExactUnderConcurrentRepliesAndDeletes() {
        UUID parent = posted(admin, org, room, "Thread");
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        List<Integer> doubleDeletes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger deleted = new AtomicInteger();
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            TestUser author = members.get(n % members.size());
            tasks.add(CompletableFuture.runAsync(() -> {
                HttpResponse<String> created = post(author,
                        "{\"body\": \"reply " + n + "\", \"parentId\": \"" + parent + "\"}");
                statuses.add(created.statusCode());
                if (created.statusCode() != 201) {
                    return;
                }
                UUID reply = idOf(created.body());
                if (n % 4 == 1) {
                    // the author deletes it while others are still replying
                    assertEquals(204, delete(author, reply).statusCode());
                    deleted.incrementAndGet();
                } else if (n % 4 == 3) {
                    // the author and an admin delete it at the same time: one wins, the other finds it gone
                    var mine = CompletableFuture.supplyAsync(() -> delete(author, reply).statusCode(), helpers);
                    int theirs = delete(admin, reply).statusCode();
                    int first = mine.join();
                    doubleDeletes.add(first + theirs);
                    assertTrue((first == 204 && theirs == 404) || (first == 404 && theirs == 204),
                            "double delete answered " + first + " and " + theirs);
                    deleted.incrementAndGet();
                }
            }, pool));
        }
        CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();

        assertEquals(Collections.nCopies(40, 201), statuses);
        assertEquals(10, doubleDeletes.size());
        assertEquals(20, deleted.get());
        long replies = (Long) TestDatabase.value("SELECT count(*) FROM core.messages WHERE parent_id = ?", parent);
        int replyCount = (Integer) TestDatabase.value("SELECT reply_count FROM core.messages WHERE id = ?", parent);
        assertEquals(20, replies);
        assertEquals(replies, replyCount);
    }

    @Test
    void deletingTheParentWhileRepliesArriveNeverFailsAndLeavesNoOrphans() {
        UUID parent = posted(admin, org, room, "Short-lived thread");
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int n = i;
            TestUser author = members.get(n % members.size());
            tasks.add(CompletableFuture.runAsync(() -> {
                if (n == 12) {
                    statuses.add(delete(admin, parent).statusCode());
                    return;
                }
                statuses.add(post(author, "{\"body\": \"reply " + n + "\", \"parentId\": \"" + parent + "\"}")
                        .statusCode());
            }, pool));
        }
        CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();

        assertTrue(statuses.contains(204), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 204 || s == 400), statuses.toString());
        assertEquals(0L, TestDatabase.value("SELECT count(*) FROM core.messages WHERE room_id = ?", room));
    }

    private HttpResponse<String> post(TestUser user, String json) {
        return send(user, HttpRequest.newBuilder(uri("/v1/orgs/" + org + "/rooms/" + room + "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> delete(TestUser user, UUID message) {
        return send(user, HttpRequest.newBuilder(uri("/v1/orgs/" + org + "/rooms/" + room + "/messages/" + message))
                .DELETE());
    }

    private HttpResponse<String> send(TestUser user, HttpRequest.Builder request) {
        try {
            return http.send(request.header("Authorization", "Bearer " + user.token())
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }

    private static UUID idOf(String json) {
        Matcher m = ID.matcher(json);
        if (!m.find()) {
            throw new AssertionError("no id in " + json);
        }
        return UUID.fromString(m.group(1));
    }
}
