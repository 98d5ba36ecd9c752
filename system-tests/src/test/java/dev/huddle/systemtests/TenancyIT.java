package dev.huddle.systemtests;

import static dev.huddle.systemtests.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.huddle.testing.TestDatabase;
import io.restassured.response.Response;

/**
 * Two entitled orgs on the running system: neither reaches the other's data through any service, not even with its
 * own org in the path and the other's child ids; bad input is a 4xx problem and changes nothing.
 */
@ExtendWith(SystemStack.class)
class TenancyIT {

    @Test
    void anOrgReachesNothingOfAnotherOrgThroughAnyService(Stack stack) {
        Tenant a = Tenant.entitled(stack, "Tenant A");
        Tenant b = Tenant.entitled(stack, "Tenant B");
        UUID roomA = stack.step("A creates a room", stack.core, () -> UUID.fromString(
                as(stack.core, a.owner().token()).body(Map.of("name", "A's room")).post("/v1/orgs/{org}/rooms", a.org())
                        .then().statusCode(201).extract().path("id")));
        String messageA = stack.step("A posts a message", stack.core, () -> as(stack.core, a.owner().token())
                .body(Map.of("body", "private to A")).post("/v1/orgs/{org}/rooms/{room}/messages", a.org(), roomA)
                .then().statusCode(201).extract().path("id"));
        String bToken = b.owner().token();

        stack.step("B with A's org id is 404 everywhere", stack.core, () -> {
            notFound(as(stack.core, bToken).get("/v1/orgs/{org}", a.org()));
            notFound(as(stack.core, bToken).get("/v1/orgs/{org}/rooms", a.org()));
            notFound(as(stack.core, bToken).get("/v1/orgs/{org}/rooms/{room}/messages", a.org(), roomA));
            notFound(as(stack.core, bToken).get("/v1/orgs/{org}/members", a.org()));
            notFound(as(stack.billing, bToken).get("/v1/billing/orgs/{org}/subscription", a.org()));
            notFound(as(stack.billing, bToken).post("/v1/billing/orgs/{org}/checkout-session", a.org()));
            notFound(as(stack.realtime, bToken).get("/v1/realtime/orgs/{org}/channels", a.org()));
            notFound(as(stack.realtime, bToken).post("/v1/realtime/orgs/{org}/connection-token", a.org()));
            notFound(as(stack.recordings, bToken).get("/v1/recordings/orgs/{org}/recordings", a.org()));
        });

        stack.step("B with its own org and A's child ids is 404", stack.core, () -> {
            notFound(as(stack.core, bToken).get("/v1/orgs/{org}/rooms/{room}", b.org(), roomA));
            notFound(as(stack.core, bToken).get("/v1/orgs/{org}/rooms/{room}/messages", b.org(), roomA));
            notFound(as(stack.core, bToken).get("/v1/orgs/{org}/rooms/{room}/messages/{m}", b.org(), roomA,
                    messageA));
            notFound(as(stack.core, bToken).body(Map.of("body", "intrusion"))
                    .post("/v1/orgs/{org}/rooms/{room}/messages", b.org(), roomA));
            notFound(as(stack.core, bToken).delete("/v1/orgs/{org}/rooms/{room}", b.org(), roomA));
        });
        assertEquals(1L, count("SELECT count(*) FROM core.messages WHERE room_id = ?", roomA));
        assertEquals(1L, count("SELECT count(*) FROM core.rooms WHERE id = ?", roomA));

        stack.step("bad input is a 4xx problem and writes nothing", stack.core, () -> {
            long rooms = count("SELECT count(*) FROM core.rooms WHERE org_id = ?", a.org());
            String token = a.owner().token();
            for (Response r : List.of(
                    as(stack.core, token).body("{\"name\": ").post("/v1/orgs/{org}/rooms", a.org()),
                    as(stack.core, token).body("{\"name\": 42}").post("/v1/orgs/{org}/rooms", a.org()),
                    as(stack.core, token).body(Map.of("name", "x".repeat(201))).post("/v1/orgs/{org}/rooms", a.org()),
                    as(stack.core, token).body(Map.of("name", " ")).post("/v1/orgs/{org}/rooms", a.org()),
                    as(stack.core, token).get("/v1/orgs/{org}/rooms/{room}", a.org(), "not-a-uuid"),
                    as(stack.core, token).queryParam("limit", -1).get("/v1/orgs/{org}/rooms", a.org()),
                    as(stack.core, token).queryParam("cursor", "%%%garbage").get("/v1/orgs/{org}/rooms", a.org()),
                    as(stack.recordings, token).queryParam("limit", "many")
                            .get("/v1/recordings/orgs/{org}/recordings", a.org()))) {
                int status = r.statusCode();
                assertEquals(4, status / 100, "status " + status + ": " + r.asString());
                assertEquals(Api.PROBLEM, r.contentType().split(";")[0]);
            }
            assertEquals(rooms, count("SELECT count(*) FROM core.rooms WHERE org_id = ?", a.org()));
        });
    }

    private static void notFound(Response response) {
        response.then().statusCode(404);
    }

    private static long count(String sql, Object param) {
        return (Long) TestDatabase.value(sql, param);
    }
}
