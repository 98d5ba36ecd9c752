package dev.huddle.realtime.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class SubscribeProxyTest {

    private static ValidatableResponse subscribe(Object user, String channel) {
        String body = "{\"client\": \"c1\", \"transport\": \"websocket\", \"protocol\": \"json\", \"encoding\": \"json\", "
                + "\"user\": " + (user == null ? "\"\"" : "\"" + user + "\"") + ", \"channel\": \"" + channel + "\"}";
        return given().contentType("application/json").body(body)
                .when().post("/centrifugo/subscribe")
                .then().statusCode(200);
    }

    private static void allowed(Object user, String channel) {
        subscribe(user, channel).body("result", anEmptyMap()).body("error", nullValue());
    }

    private static void refused(Object user, String channel) {
        subscribe(user, channel).body("error.code", equalTo(403)).body("result", nullValue());
    }

    @Test
    void anActiveMemberMaySubscribeToTheirOrgButNotAnother() {
        UUID mine = Tenants.org("Mine");
        UUID theirs = Tenants.org("Theirs");
        var me = Tenants.memberOf(mine, "member");
        Tenants.memberOf(theirs, "owner");
        allowed(me.id(), "org:" + mine);
        refused(me.id(), "org:" + theirs);
    }

    @Test
    void aDeactivatedMemberIsRefused() {
        UUID org = Tenants.org("Gone");
        var user = Tenants.user();
        Tenants.member(org, user, "admin", "inactive");
        refused(user.id(), "org:" + org);
        refused(user.id(), "room:" + Tenants.room(org, "General"));
    }

    @Test
    void onlyTheUserMaySubscribeToTheirOwnChannel() {
        var me = Tenants.memberOf(Tenants.org("Personal"), "member");
        var other = Tenants.memberOf(Tenants.org("Other"), "member");
        allowed(me.id(), "user:#" + me.id());
        refused(me.id(), "user:#" + other.id());
        refused(me.id(), "user:" + me.id());
    }

    @Test
    void aRoomIsOpenToMembersOfItsOrgOnly() {
        UUID mine = Tenants.org("Rooms");
        UUID theirs = Tenants.org("Other rooms");
        var me = Tenants.memberOf(mine, "member");
        allowed(me.id(), "room:" + Tenants.room(mine, "Standup"));
        refused(me.id(), "room:" + Tenants.room(theirs, "Secret"));
        refused(me.id(), "room:" + UUID.randomUUID());
    }

    @Test
    void unknownNamespacesAnonymousUsersAndMalformedIdsAreRefused() {
        UUID org = Tenants.org("Strict");
        var me = Tenants.memberOf(org, "member");
        refused(me.id(), "chat:" + org);
        refused(me.id(), "org:not-a-uuid");
        refused(null, "org:" + org);
        refused("user_01NOTAUUID", "org:" + org);
    }

    @Test
    void aMalformedRequestIs400InCentrifugoFormat() {
        for (String body : new String[] { "{not json", "[]", "{}", "{\"channel\": 42, \"user\": \"x\"}", "" }) {
            given().contentType("application/json").body(body)
                    .when().post("/centrifugo/subscribe")
                    .then().statusCode(200).body("error.code", equalTo(400));
        }
    }
}
