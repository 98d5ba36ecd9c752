package dev.huddle.systemtests;

import static dev.huddle.systemtests.Api.as;
import static dev.huddle.systemtests.Api.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.huddle.systemtests.CentrifugoStub.Publication;
import dev.huddle.systemtests.WorkOsStub.User;
import dev.huddle.testing.LiveKitSamples;
import dev.huddle.testing.StripeStub;
import io.restassured.path.json.JsonPath;

/**
 * An org's day, across the four running services, driven only through their public APIs and signed webhooks: from
 * its creation to a subscription that lapses beyond grace and is paid again.
 */
@ExtendWith(SystemStack.class)
class DayInTheLifeIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final int MESSAGES = 25;
    static final int REPLIES = 3;
    static final int PAGE = 10;

    @Test
    void anOrgLivesADayAcrossTheFourServices(Stack stack) {
        User owner = Tenant.syncedUser(stack, "Owner");
        User member = Tenant.syncedUser(stack, "Member");
        User outsider = Tenant.syncedUser(stack, "Outsider");

        UUID org = stack.step("the owner creates an org", stack.core, () -> UUID.fromString(
                as(stack.core, owner.token()).body(Map.of("name", "Day Co")).post("/v1/orgs")
                        .then().statusCode(201).extract().path("id")));

        stack.step("an org not entitled is refused outside billing", stack.core, () -> {
            as(stack.core, owner.token()).body(Map.of("name", "Too early")).post("/v1/orgs/{org}/rooms", org)
                    .then().statusCode(402).contentType(Api.PROBLEM);
            as(stack.billing, owner.token()).get("/v1/billing/orgs/{org}/subscription", org)
                    .then().statusCode(200).body("entitled", equalTo(false)).body("status", equalTo("none"));
        });

        StripeStub.Customer customer = stack.stripe.customerFor(org);
        stack.step("the owner starts checkout", stack.billing, () -> as(stack.billing, owner.token())
                .post("/v1/billing/orgs/{org}/checkout-session", org)
                .then().statusCode(200).body("url", startsWith("https://checkout.stripe.com/")));

        // the subscription began ten days ago, by Stripe's clock (its events' created times)
        Instant subscribed = Instant.now().minus(Duration.ofDays(10));
        stack.step("Stripe's signed events make the org entitled", stack.billing, () -> {
            String subscription = customer.subscription("active", 1);
            Api.stripeWebhook(stack, StripeStub.event("checkout.session.completed", """
                    {"id": "%s", "object": "checkout.session", "customer": "%s", "mode": "subscription",
                     "client_reference_id": "%s", "subscription": "%s", "status": "complete"}"""
                    .formatted(StripeStub.id("cs_test"), customer.id, org, customer.subscriptionId), subscribed))
                    .statusCode(200);
            Api.stripeWebhook(stack, StripeStub.event("customer.subscription.created", subscription, subscribed))
                    .statusCode(200);
            await("org entitled", WAIT, () -> as(stack.billing, owner.token())
                    .get("/v1/billing/orgs/{org}/subscription", org).then().extract().<Boolean> path("entitled"));
        });

        stack.step("a member is invited, accepts, and the Stripe quantity follows", stack.billing, () -> {
            String invitation = as(stack.core, owner.token()).body(Map.of("email", member.email(), "role", "member"))
                    .post("/v1/orgs/{org}/invitations", org).then().statusCode(201).body("state", equalTo("pending"))
                    .extract().path("id");
            as(stack.core, member.token()).post("/v1/invitations/{id}/accept", invitation).then().statusCode(200)
                    .body("state", equalTo("accepted"));
            await("quantity 2 set on the subscription item", WAIT,
                    () -> stack.stripe.quantitiesSet(customer.itemId).contains(2L));
            customer.subscription("active", 2);
        });

        stack.step("outsiders see nothing of the org", stack.core, () -> {
            as(stack.core, outsider.token()).get("/v1/orgs/{org}", org).then().statusCode(404)
                    .contentType(Api.PROBLEM);
            as(stack.core, outsider.token()).get("/v1/orgs/{org}/rooms", org).then().statusCode(404);
            as(stack.billing, outsider.token()).get("/v1/billing/orgs/{org}/subscription", org).then()
                    .statusCode(404);
            as(stack.core, null).get("/v1/orgs/{org}", org).then().statusCode(401);
            as(stack.core, stack.workos.expiredToken(owner)).get("/v1/orgs/{org}", org).then().statusCode(401);
        });

        JsonPath room = stack.step("a room is created", stack.core, () -> as(stack.core, owner.token())
                .body(Map.of("name", "Standup")).post("/v1/orgs/{org}/rooms", org)
                .then().statusCode(201).extract().jsonPath());
        UUID roomId = UUID.fromString(room.getString("id"));
        String livekitRoom = room.getString("livekitRoomName");
        String channel = "room:" + roomId;

        List<String> posted = new ArrayList<>();
        List<String> replies = new ArrayList<>();
        stack.step("messages and replies are posted", stack.core, () -> {
            for (int i = 0; i < MESSAGES; i++) {
                User author = i % 2 == 0 ? owner : member;
                posted.add(as(stack.core, author.token()).body(Map.of("body", "message " + i))
                        .post("/v1/orgs/{org}/rooms/{room}/messages", org, roomId)
                        .then().statusCode(201).extract().path("id"));
            }
            for (int i = 0; i < REPLIES; i++) {
                replies.add(as(stack.core, member.token())
                        .body(Map.of("body", "reply " + i, "parentId", posted.get(0)))
                        .post("/v1/orgs/{org}/rooms/{room}/messages", org, roomId)
                        .then().statusCode(201).extract().path("id"));
            }
        });

        stack.step("messages are read back page by page, newest first", stack.core, () -> {
            List<String> read = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var request = as(stack.core, member.token()).queryParam("limit", PAGE);
                if (cursor != null) {
                    request = request.queryParam("cursor", cursor);
                }
                JsonPath page = request.get("/v1/orgs/{org}/rooms/{room}/messages", org, roomId)
                        .then().statusCode(200).extract().jsonPath();
                read.addAll(page.getList("items.id"));
                cursor = page.getString("nextCursor");
                pages++;
            } while (cursor != null && pages < 10);
            List<String> expected = new ArrayList<>(posted);
            Collections.reverse(expected);
            assertEquals(expected, read);
            assertEquals((MESSAGES + PAGE - 1) / PAGE, pages);
            as(stack.core, owner.token()).get("/v1/orgs/{org}/rooms/{room}/messages/{id}/replies", org, roomId,
                    posted.get(0)).then().statusCode(200).body("items", hasSize(REPLIES));
        });

        stack.step("each message reaches Centrifugo once, in order, on its room's channel", stack.realtime, () -> {
            List<String> all = new ArrayList<>(posted);
            all.addAll(replies);
            await("every message published", WAIT, () -> created(stack.centrifugo.published(channel)).size() >= all
                    .size());
            List<String> publishedIds = created(stack.centrifugo.published(channel));
            assertEquals(all, publishedIds, "published on " + channel + ", in commit order, once each");
        });

        String sid = LiveKitSamples.id("PA_");
        stack.step("a participant joins and leaves through LiveKit webhooks, and presence follows", stack.core, () -> {
            long now = Instant.now().getEpochSecond();
            Api.livekitWebhook(stack.core, "/webhooks/livekit/rooms",
                    participant("participant_joined", livekitRoom, sid, owner.workosId(), now)).statusCode(200);
            as(stack.core, member.token()).get("/v1/orgs/{org}/rooms/{room}/presence", org, roomId).then()
                    .statusCode(200).body("participants", hasSize(1));
            Api.livekitWebhook(stack.core, "/webhooks/livekit/rooms",
                    participant("participant_left", livekitRoom, sid, owner.workosId(), now + 60)).statusCode(200);
            as(stack.core, member.token()).get("/v1/orgs/{org}/rooms/{room}/presence", org, roomId).then()
                    .statusCode(200).body("participants", empty());
        });

        String egress = LiveKitSamples.id("EG_");
        String recording = stack.step("an egress records the room and the recording becomes ready", stack.recordings,
                () -> {
                    Api.livekitWebhook(stack.recordings, "/webhooks/livekit/egress",
                            egress("egress_started", egress, livekitRoom)).statusCode(200);
                    Api.livekitWebhook(stack.recordings, "/webhooks/livekit/egress",
                            egress("egress_ended_complete", egress, livekitRoom)).statusCode(200);
                    String id = as(stack.recordings, member.token()).get("/v1/recordings/orgs/{org}/recordings", org)
                            .then().statusCode(200).body("items", hasSize(1)).body("items[0].status", equalTo("ready"))
                            .extract().path("items[0].id");
                    as(stack.recordings, member.token())
                            .post("/v1/recordings/orgs/{org}/recordings/{id}/download-url", org, id)
                            .then().statusCode(200);
                    return id;
                });

        stack.step("the room is deleted and the recording survives", stack.recordings, () -> {
            as(stack.core, owner.token()).delete("/v1/orgs/{org}/rooms/{room}", org, roomId).then()
                    .statusCode(204);
            as(stack.core, owner.token()).get("/v1/orgs/{org}/rooms/{room}", org, roomId).then().statusCode(404);
            as(stack.recordings, owner.token()).get("/v1/recordings/orgs/{org}/recordings/{id}", org, recording)
                    .then().statusCode(200).body("status", equalTo("ready"));
        });

        stack.step("past_due beyond grace: 402 outside billing, billing still reachable", stack.billing, () -> {
            String pastDue = customer.subscription("past_due", 2);
            Api.stripeWebhook(stack, StripeStub.event("customer.subscription.updated", pastDue,
                    Instant.now().minus(Duration.ofDays(8)))).statusCode(200);
            await("org no longer entitled", WAIT, () -> !as(stack.billing, owner.token())
                    .get("/v1/billing/orgs/{org}/subscription", org).then().extract().<Boolean> path("entitled"));
            as(stack.core, owner.token()).get("/v1/orgs/{org}/rooms", org).then().statusCode(402)
                    .contentType(Api.PROBLEM);
            as(stack.recordings, owner.token()).get("/v1/recordings/orgs/{org}/recordings", org).then()
                    .statusCode(402);
            as(stack.billing, owner.token()).get("/v1/billing/orgs/{org}/subscription", org).then()
                    .statusCode(200).body("status", equalTo("past_due"));
        });

        stack.step("paid again, the org is entitled again", stack.billing, () -> {
            String active = customer.subscription("active", 2);
            Api.stripeWebhook(stack, StripeStub.event("customer.subscription.updated", active, Instant.now()))
                    .statusCode(200);
            await("org entitled again", WAIT, () -> as(stack.core, owner.token())
                    .get("/v1/orgs/{org}/rooms", org).statusCode() == 200);
        });

        stack.step("a deactivated member loses their channels and their seat", stack.realtime, () -> {
            as(stack.realtime, member.token()).get("/v1/realtime/orgs/{org}/channels", org).then().statusCode(200);
            String memberId = as(stack.core, member.token()).get("/v1/me").then().extract().path("id");
            as(stack.core, owner.token()).post("/v1/orgs/{org}/members/{user}/deactivate", org, memberId).then()
                    .statusCode(200);
            as(stack.realtime, member.token()).get("/v1/realtime/orgs/{org}/channels", org).then().statusCode(404)
                    .contentType(Api.PROBLEM);
            as(stack.realtime, member.token()).post("/v1/realtime/orgs/{org}/connection-token", org).then()
                    .statusCode(404);
            await("quantity back to 1", WAIT, () -> {
                List<Long> set = stack.stripe.quantitiesSet(customer.itemId);
                return set.get(set.size() - 1) == 1L;
            });
        });
    }

    /** The ids of the {@code message.created} events among {@code publications}, in order. */
    static List<String> created(List<Publication> publications) {
        return publications.stream().filter(p -> p.type().equals("message.created")).map(Publication::dataId)
                .toList();
    }

    static String participant(String sample, String room, String sid, String identity, long createdAt) {
        return LiveKitSamples.reference(sample).replace("\"name\": \"org-3f1c-room-9a2b\"", "\"name\": \"" + room + "\"")
                .replace("\"sid\": \"PA_kq81Zs0T\"", "\"sid\": \"" + sid + "\"")
                .replace("\"identity\": \"user_01JABCDEF0123456789ABCDEFG\"", "\"identity\": \"" + identity + "\"")
                .replace("\"joinedAt\": \"1795600005\"", "\"joinedAt\": \"" + (createdAt - 5) + "\"")
                .replace("\"createdAt\": \"1795600010\"", "\"createdAt\": \"" + createdAt + "\"")
                .replaceAll("\"id\": \"EV_[a-z]+_1\"", "\"id\": \"" + LiveKitSamples.eventId() + "\"");
    }

    static String egress(String sample, String egressId, String room) {
        return LiveKitSamples.reference(sample).replace("EG_u9dXk2LmQp", egressId)
                .replace("org-3f1c-room-9a2b", room)
                .replaceAll("\"id\": \"EV_[a-z]+_\\d\"", "\"id\": \"" + LiveKitSamples.eventId() + "\"");
    }
}
