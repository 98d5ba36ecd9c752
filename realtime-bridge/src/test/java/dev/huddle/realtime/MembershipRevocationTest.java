package dev.huddle.realtime;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.huddle.realtime.tokens.Jws;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;

/**
 * Realtime access ends with the membership: a member removed while subscribed is unsubscribed by Centrifugo's server
 * API from the org's channels, and whatever they still hold (a connection token) cannot bring them back, because every
 * org and room subscription goes through the subscribe proxy.
 */
@QuarkusTest
class MembershipRevocationTest {

    private static ValidatableResponse subscribe(UUID user, String channel) {
        String body = new JsonObject().put("client", "c-" + user).put("transport", "websocket").put("protocol", "json")
                .put("encoding", "json").put("user", user.toString()).put("channel", channel).encode();
        return given().contentType("application/json").body(body)
                .when().post("/centrifugo/subscribe")
                .then().statusCode(200);
    }

    /** Removes the membership and announces it in one transaction, as core-api does. */
    private static void remove(UUID org, UUID user) {
        String key = UUID.randomUUID().toString();
        JsonObject payload = new JsonObject().put("type", "member.removed").put("version", 1).put("id", key)
                .put("occurredAt", java.time.OffsetDateTime.now().toString())
                .put("data", new JsonObject().put("orgId", org.toString()).put("userId", user.toString())
                        .put("role", "member").put("status", "removed"));
        TestDatabase.sql("""
                WITH gone AS (DELETE FROM core.memberships WHERE org_id = ? AND user_id = ? RETURNING org_id)
                INSERT INTO realtime.outbox (channel, payload, idempotency_key)
                SELECT 'org:' || org_id, ?::jsonb, ? FROM gone""", org, user, payload.encode(), key);
        TestDatabase.sql("SELECT pg_notify('realtime_outbox', '')");
    }

    @Test
    void aMemberRemovedWhileSubscribedLosesTheOrgsChannelsAndCannotComeBack() {
        UUID org = Tenants.org("Revoked");
        UUID standup = Tenants.room(org, "Standup");
        UUID other = Tenants.org("Kept");
        UUID kept = Tenants.room(other, "Lobby");
        var member = Tenants.memberOf(org, "member");
        Tenants.member(other, member, "member", "active");
        String connectionToken = given().auth().oauth2(member.token())
                .when().post("/v1/realtime/orgs/{orgId}/connection-token", org)
                .then().statusCode(200).extract().jsonPath().getString("token");
        Set<String> orgChannels = Set.of("org:" + org, "room:" + standup);
        for (String channel : orgChannels) {
            subscribe(member.id(), channel).body("result", anEmptyMap());
        }

        remove(org, member.id());

        // Centrifugo is told to drop every channel of that org for that user, well within 60 s
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(orgChannels,
                CentrifugoStub.received().stream()
                        .filter(r -> r.method().equals("unsubscribe") && r.accepted()
                                && member.id().toString().equals(r.params().getString("user")))
                        .map(CentrifugoStub.Received::channel).collect(Collectors.toSet())));

        // coming back: the connection token they hold grants no channel, and the proxy refuses them
        JsonObject claims = Jws.parse(connectionToken).claims();
        assertEquals(member.id().toString(), claims.getString("sub"));
        assertFalse(claims.containsKey("channel") || claims.containsKey("channels") || claims.containsKey("subs"),
                claims.encode());
        for (String channel : orgChannels) {
            subscribe(member.id(), channel).body("error.code", equalTo(403)).body("result", nullValue());
        }
        given().auth().oauth2(member.token()).contentType("application/json")
                .body(new JsonObject().put("channel", "org:" + org).encode())
                .when().post("/v1/realtime/orgs/{orgId}/subscription-token", org)
                .then().statusCode(404);
        given().auth().oauth2(member.token())
                .when().post("/v1/realtime/orgs/{orgId}/connection-token", org)
                .then().statusCode(404);
        // their other org is untouched
        subscribe(member.id(), "org:" + other).body("result", anEmptyMap());
        subscribe(member.id(), "room:" + kept).body("result", anEmptyMap());
    }
}
