package dev.huddle.systemtests;

import static dev.huddle.systemtests.Api.as;
import static dev.huddle.systemtests.Api.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.huddle.systemtests.WorkOsStub.User;
import io.restassured.path.json.JsonPath;

/**
 * A member deactivated in WorkOS (an {@code organization_membership.updated} event with status {@code inactive}, read
 * by core-api's Events API sync as it reads every WorkOS change) loses their channels: realtime-bridge unsubscribes them
 * at Centrifugo from the org's channel and every room's, its subscribe proxy refuses them from then on (the owner is
 * still let in), and its channel list is 404 to them.
 */
@ExtendWith(SystemStack.class)
class WorkOsDeactivationIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aMemberDeactivatedInWorkOsLosesTheirChannels(Stack stack) {
        User owner = Tenant.syncedUser(stack, "Managed Owner");
        User member = Tenant.syncedUser(stack, "Managed Member");
        String workosOrg = stack.workos.createOrganization("WorkOS Managed Co");
        stack.workos.membership(null, workosOrg, owner, "owner", "active");
        String membership = stack.workos.membership(null, workosOrg, member, "member", "active");

        UUID org = stack.step("the org and its memberships reach core-api through the WorkOS events sync", stack.core,
                () -> {
                    await("member synced", WAIT, () -> !as(stack.core, member.token()).get("/v1/me").then()
                            .statusCode(200).extract().jsonPath().getList("memberships").isEmpty());
                    JsonPath me = as(stack.core, owner.token()).get("/v1/me").then().statusCode(200).extract()
                            .jsonPath();
                    assertEquals("owner", me.getString("memberships[0].role"));
                    return UUID.fromString(me.getString("memberships[0].orgId"));
                });
        Tenant.entitle(stack, owner, org, "WorkOS Managed Co");
        UUID room = stack.step("the owner creates a room", stack.core, () -> UUID.fromString(as(stack.core,
                owner.token()).body(Map.of("name", "Managed room")).post("/v1/orgs/{org}/rooms", org).then()
                .statusCode(201).extract().path("id")));
        String memberId = as(stack.core, member.token()).get("/v1/me").then().extract().path("id");
        String ownerId = as(stack.core, owner.token()).get("/v1/me").then().extract().path("id");
        List<String> channels = List.of("org:" + org, "room:" + room);

        stack.step("the active member may subscribe to the org's and the room's channels", stack.realtime, () -> {
            as(stack.realtime, member.token()).get("/v1/realtime/orgs/{org}/channels", org).then().statusCode(200)
                    .body("channels", hasItem("org:" + org));
            for (String channel : channels) {
                assertEquals(Map.of("result", Map.of()), subscribe(stack, memberId, channel), channel);
            }
        });

        stack.workos.membership(membership, workosOrg, member, "member", "inactive");

        stack.step("realtime-bridge unsubscribes the deactivated member at Centrifugo", stack.realtime,
                () -> await("unsubscribed from the org's and the room's channels", WAIT,
                        () -> stack.centrifugo.unsubscribed(memberId).containsAll(channels)));
        stack.step("the subscribe proxy refuses the deactivated member, and still lets the owner in", stack.realtime,
                () -> {
                    for (String channel : channels) {
                        assertEquals(403, ((Map<?, ?>) subscribe(stack, memberId, channel).get("error")).get("code"),
                                channel);
                        assertEquals(Map.of("result", Map.of()), subscribe(stack, ownerId, channel), channel);
                    }
                    as(stack.realtime, member.token()).get("/v1/realtime/orgs/{org}/channels", org).then()
                            .statusCode(404).contentType(Api.PROBLEM);
                    assertEquals(List.of(), stack.centrifugo.unsubscribed(ownerId));
                });
    }

    /** Centrifugo's subscribe proxy request for {@code user} on {@code channel}, as Centrifugo sends it; its answer. */
    static Map<String, Object> subscribe(Stack stack, String user, String channel) {
        return given().baseUri(stack.realtime.baseUrl()).contentType("application/json")
                .header("X-Centrifugo-Proxy-Secret", Stack.PROXY_SECRET)
                .body(Map.of("client", UUID.randomUUID().toString(), "transport", "websocket", "protocol", "json",
                        "encoding", "json", "user", user, "channel", channel))
                .post("/centrifugo/subscribe").then().statusCode(200).extract().jsonPath().getMap("$");
    }
}
