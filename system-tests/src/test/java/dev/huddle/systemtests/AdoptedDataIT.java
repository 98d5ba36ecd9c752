package dev.huddle.systemtests;

import static dev.huddle.systemtests.Api.as;
import static dev.huddle.systemtests.Api.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.huddle.migrations.LegacyFixture;
import dev.huddle.migrations.PgUrl;
import dev.huddle.testing.PostgresServer;
import dev.huddle.testing.StripeStub;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The pre-restructure database (migrations' legacy fixture, 1,000 messages: two orgs of five members and four rooms)
 * adopted by the packaged migrations app ({@code adopt}), then the four packaged services started on it: an adopted
 * org's owner, with the access token AuthKit issues their WorkOS user, finds the org, its members, rooms, chat and
 * recordings through the APIs exactly as the old tables held them; billing knows the org's Stripe customer, so
 * Stripe's events about it entitle the org; a recording outlives its room; the owner of the other adopted org gets
 * 404 everywhere. A stack of its own (the run's shared one is on a freshly migrated database).
 */
class AdoptedDataIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final int MESSAGES = 1_000;
    static final int PAGE = 30;

    private static Stack stack;
    /** What the old tables held, read before adopt: the legacy database is adopted in place. */
    private static Legacy legacy;

    @BeforeAll
    static void adoptTheLegacyDatabaseAndStartTheServicesOnIt() throws IOException {
        PgUrl database = LegacyFixture.create(PostgresServer.shared(), "systest_adopted", MESSAGES);
        try {
            legacy = Legacy.read(database);
            Path logs = Files.createDirectories(Stack.root().resolve("system-tests/target/adopted-migrations"));
            Path log = logs.resolve("adopt.log");
            Path report = logs.resolve("adoption-report.txt");
            int exit = Stack.migrationsApp(database, log, "adopt", "--report", report.toString());
            assertEquals(0, exit, () -> "adopt exited with " + exit + "\n" + ServiceProcess.tail(log, 60));
            assertTrue(Files.readString(report).contains("messages: " + MESSAGES + " -> " + MESSAGES),
                    () -> ServiceProcess.tail(report, 40));
        } catch (IOException | RuntimeException | Error e) {
            PostgresServer.dropDatabase(PostgresServer.shared(), database.database());
            throw e;
        }
        stack = Stack.startOn("adopted", database);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void adoptedOrgsAnswerThroughTheirServicesAndOnlyToTheirMembers() {
        UUID org = legacy.org(0);
        UUID otherOrg = legacy.org(1);
        // WorkOS users of the old database keep their ids: the token's sub is the adopted users.workos_user_id
        String owner = stack.workos.tokenFor(legacy.ownerWorkosId(org));
        String outsider = stack.workos.tokenFor(legacy.ownerWorkosId(otherOrg));
        UUID room = legacy.rooms(org).get(0);

        stack.step("the adopted owner is known, with the org", stack.core, () -> {
            JsonPath me = as(stack.core, owner).get("/v1/me").then().statusCode(200).extract().jsonPath();
            assertEquals(legacy.ownerWorkosId(org), me.getString("workosUserId"));
            assertEquals(List.of(org.toString()), me.getList("memberships.orgId"));
            assertEquals(List.of("owner"), me.getList("memberships.role"));
            assertEquals(List.of(legacy.orgName(org)), me.getList("memberships.orgName"));
        });

        stack.step("billing copied no subscription: the org waits for Stripe", stack.billing, () -> {
            as(stack.billing, owner).get("/v1/billing/orgs/{org}/subscription", org).then().statusCode(200)
                    .body("status", equalTo("none")).body("entitled", equalTo(false));
            as(stack.core, owner).get("/v1/orgs/{org}/rooms", org).then().statusCode(402).contentType(Api.PROBLEM);
        });

        stack.step("Stripe's event about the adopted customer reaches its org", stack.billing, () -> {
            StripeStub.Customer customer = stack.stripe.existingCustomer(legacy.stripeCustomer(org), org);
            Api.stripeWebhook(stack, StripeStub.event("customer.subscription.updated",
                    customer.subscription("active", 5), Instant.now())).statusCode(200);
            await("adopted org entitled", WAIT, () -> as(stack.billing, owner)
                    .get("/v1/billing/orgs/{org}/subscription", org).then().statusCode(200).extract()
                    .<Boolean> path("entitled"));
            as(stack.billing, owner).get("/v1/billing/orgs/{org}/subscription", org).then().statusCode(200)
                    .body("status", equalTo("active")).body("quantity", equalTo(5));
        });

        stack.step("the org, its members and rooms, as the old tables held them", stack.core, () -> {
            as(stack.core, owner).get("/v1/orgs/{org}", org).then().statusCode(200)
                    .body("name", equalTo(legacy.orgName(org))).body("role", equalTo("owner"));
            JsonPath members = as(stack.core, owner).queryParam("limit", 100).get("/v1/orgs/{org}/members", org)
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(legacy.members(org), sortedPairs(members.getList("items.workosUserId"),
                    members.getList("items.role")));
            assertEquals(List.of("active"), members.getList("items.status").stream().distinct().toList());
            JsonPath rooms = as(stack.core, owner).queryParam("limit", 100).get("/v1/orgs/{org}/rooms", org).then()
                    .statusCode(200).extract().jsonPath();
            assertEquals(sorted(legacy.rooms(org)), sorted(uuids(rooms.getList("items.id"))));
        });

        stack.step("a room's chat, page by page, newest first, with its threads", stack.core, () -> {
            List<String> read = new ArrayList<>();
            List<Integer> replyCounts = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var request = as(stack.core, owner).queryParam("limit", PAGE);
                if (cursor != null) {
                    request = request.queryParam("cursor", cursor);
                }
                JsonPath page = request.get("/v1/orgs/{org}/rooms/{room}/messages", org, room).then().statusCode(200)
                        .extract().jsonPath();
                read.addAll(page.getList("items.id"));
                replyCounts.addAll(page.getList("items.replyCount"));
                cursor = page.getString("nextCursor");
                pages++;
            } while (cursor != null && pages < 20);
            List<Legacy.Thread> threads = legacy.threads(room);
            assertEquals(threads.stream().map(t -> t.id().toString()).toList(), read);
            assertEquals(threads.stream().map(Legacy.Thread::replies).toList(), replyCounts);
            assertEquals((threads.size() + PAGE - 1) / PAGE, pages);
            Legacy.Thread answered = threads.stream().filter(t -> t.replies() > 0).findFirst().orElseThrow();
            JsonPath replies = as(stack.core, owner).queryParam("limit", 100)
                    .get("/v1/orgs/{org}/rooms/{room}/messages/{id}/replies", org, room, answered.id()).then()
                    .statusCode(200).extract().jsonPath();
            assertEquals(sorted(legacy.replies(answered.id())), sorted(uuids(replies.getList("items.id"))));
        });

        stack.step("the org's recordings, and they outlive a room deleted now", stack.recordings, () -> {
            Map<UUID, UUID> before = recordings(owner, org);
            assertEquals(legacy.recordings(org), before);
            as(stack.core, owner).delete("/v1/orgs/{org}/rooms/{room}", org, room).then().statusCode(204);
            Map<UUID, UUID> after = recordings(owner, org);
            assertEquals(before.keySet(), after.keySet(), "every recording still listed");
            before.forEach((recording, itsRoom) -> assertEquals(itsRoom.equals(room) ? null : itsRoom,
                    after.get(recording), "room of recording " + recording));
            assertTrue(before.containsValue(room), "the deleted room had recordings");
        });

        stack.step("the owner of the other adopted org sees 404 everywhere", stack.core, () -> {
            as(stack.core, outsider).get("/v1/me").then().statusCode(200)
                    .body("memberships.orgId", equalTo(List.of(otherOrg.toString())));
            UUID keptRoom = legacy.rooms(org).get(1);
            for (Response r : List.of(
                    as(stack.core, outsider).get("/v1/orgs/{org}", org),
                    as(stack.core, outsider).get("/v1/orgs/{org}/members", org),
                    as(stack.core, outsider).get("/v1/orgs/{org}/rooms", org),
                    as(stack.core, outsider).get("/v1/orgs/{org}/rooms/{room}/messages", org, keptRoom),
                    as(stack.billing, outsider).get("/v1/billing/orgs/{org}/subscription", org),
                    as(stack.recordings, outsider).get("/v1/recordings/orgs/{org}/recordings", org))) {
                r.then().statusCode(404).contentType(Api.PROBLEM);
            }
        });
    }

    /** Recording id -> room id (null when its room is gone), read through every page of the list. */
    private static Map<UUID, UUID> recordings(String token, UUID org) {
        Map<UUID, UUID> recordings = new LinkedHashMap<>();
        String cursor = null;
        do {
            var request = as(stack.recordings, token).queryParam("limit", 5);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/recordings/orgs/{org}/recordings", org).then().statusCode(200).extract()
                    .jsonPath();
            List<String> ids = page.getList("items.id");
            List<String> rooms = page.getList("items.roomId");
            for (int i = 0; i < ids.size(); i++) {
                recordings.put(UUID.fromString(ids.get(i)), rooms.get(i) == null ? null : UUID.fromString(rooms.get(i)));
            }
            cursor = page.getString("nextCursor");
        } while (cursor != null && recordings.size() < 1_000);
        return recordings;
    }

    private static List<UUID> uuids(List<String> ids) {
        return ids.stream().map(UUID::fromString).toList();
    }

    private static <T extends Comparable<T>> List<T> sorted(List<T> list) {
        return list.stream().sorted().toList();
    }

    private static List<String> sortedPairs(List<String> left, List<String> right) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < left.size(); i++) {
            pairs.add(left.get(i) + " " + right.get(i));
        }
        return sorted(pairs);
    }

    /** The old tables' rows these checks compare with, read from public.* before adopt moved them. */
    private record Legacy(List<UUID> orgs, Map<UUID, String> orgNames, Map<UUID, String> owners,
            Map<UUID, List<String>> members, Map<UUID, List<UUID>> rooms, Map<UUID, List<Thread>> threads,
            Map<UUID, List<UUID>> replies, Map<UUID, Map<UUID, UUID>> recordings, Map<UUID, String> customers) {

        /** A top-level message with its reply count. */
        record Thread(UUID id, int replies) {
        }

        static Legacy read(PgUrl database) {
            try (Connection c = PostgresServer.connect(database)) {
                List<UUID> orgs = new ArrayList<>();
                Map<UUID, String> names = new LinkedHashMap<>();
                Map<UUID, String> customers = new LinkedHashMap<>();
                query(c, """
                        SELECT o.id, o.name, l.stripe_customer_id FROM public.organizations o
                        LEFT JOIN public.subscription_link l ON l.org_id = o.id ORDER BY o.created_at""", rs -> {
                    UUID id = rs.getObject(1, UUID.class);
                    orgs.add(id);
                    names.put(id, rs.getString(2));
                    customers.put(id, rs.getString(3));
                });
                Map<UUID, String> owners = new LinkedHashMap<>();
                Map<UUID, List<String>> members = new LinkedHashMap<>();
                query(c, """
                        SELECT m.org_id, u.workos_user_id, m.role FROM public.user_orgs m JOIN public.users u ON u.id = m.user_id
                        ORDER BY u.workos_user_id || ' ' || m.role""",
                        rs -> {
                            UUID org = rs.getObject(1, UUID.class);
                            members.computeIfAbsent(org, k -> new ArrayList<>()).add(rs.getString(2) + " " + rs.getString(3));
                            if (rs.getString(3).equals("owner")) {
                                owners.put(org, rs.getString(2));
                            }
                        });
                Map<UUID, List<UUID>> rooms = new LinkedHashMap<>();
                query(c, "SELECT org_id, id FROM public.rooms ORDER BY created_at",
                        rs -> rooms.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                                .add(rs.getObject(2, UUID.class)));
                Map<UUID, List<Thread>> threads = new LinkedHashMap<>();
                query(c, """
                        SELECT room_id, id, reply_count FROM public.chat_messages WHERE parent_id IS NULL
                        ORDER BY created_at DESC, id DESC""",
                        rs -> threads.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                                .add(new Thread(rs.getObject(2, UUID.class), rs.getInt(3))));
                Map<UUID, List<UUID>> replies = new LinkedHashMap<>();
                query(c, "SELECT parent_id, id FROM public.chat_messages WHERE parent_id IS NOT NULL",
                        rs -> replies.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                                .add(rs.getObject(2, UUID.class)));
                Map<UUID, Map<UUID, UUID>> recordings = new LinkedHashMap<>();
                query(c, "SELECT org_id, id, room_id FROM public.recordings ORDER BY created_at DESC, id DESC",
                        rs -> recordings.computeIfAbsent(rs.getObject(1, UUID.class), k -> new LinkedHashMap<>())
                                .put(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class)));
                members.replaceAll((org, list) -> sorted(list));
                return new Legacy(orgs, names, owners, members, rooms, threads, replies, recordings, customers);
            } catch (SQLException e) {
                throw new IllegalStateException("reading the legacy fixture: " + e.getMessage(), e);
            }
        }

        /** The {@code n}th org, oldest first; org 0 has a Stripe customer, org 1 none. */
        UUID org(int n) {
            return orgs.get(n);
        }

        String orgName(UUID org) {
            return orgNames.get(org);
        }

        String ownerWorkosId(UUID org) {
            return owners.get(org);
        }

        /** "workosUserId role", sorted. */
        List<String> members(UUID org) {
            return members.get(org);
        }

        List<UUID> rooms(UUID org) {
            return rooms.get(org);
        }

        /** The room's top-level messages, newest first. */
        List<Thread> threads(UUID room) {
            return threads.get(room);
        }

        List<UUID> replies(UUID thread) {
            return replies.get(thread);
        }

        /** Recording id -> room id, of the org. */
        Map<UUID, UUID> recordings(UUID org) {
            return recordings.get(org);
        }

        String stripeCustomer(UUID org) {
            String customer = customers.get(org);
            if (customer == null) {
                throw new IllegalStateException("org " + org + " has no Stripe customer in the fixture");
            }
            return customer;
        }

        private interface RowReader {
            void read(ResultSet rs) throws SQLException;
        }

        private static void query(Connection c, String sql, RowReader reader) throws SQLException {
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }
}
