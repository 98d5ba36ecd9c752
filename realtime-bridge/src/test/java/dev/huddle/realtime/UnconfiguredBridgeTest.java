package dev.huddle.realtime;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.huddle.realtime.outbox.Outbox;
import dev.huddle.realtime.outbox.OutboxRelay;
import dev.huddle.testing.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

/**
 * The bridge with neither Centrifugo's API nor its token secret configured, and a proxy secret set: tokens are 503,
 * outbox rows wait unpublished, and the subscribe proxy answers only requests carrying the secret (HTTP 403 to any
 * other caller).
 */
@QuarkusTest
@TestProfile(UnconfiguredBridgeTest.Unconfigured.class)
class UnconfiguredBridgeTest {

    static final String PROXY_SECRET = "test-proxy-secret";

    public static class Unconfigured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("huddle.centrifugo.api-url", "", "huddle.centrifugo.api-key", "",
                    "huddle.centrifugo.token-hmac-secret", "", "huddle.realtime.proxy.secret", PROXY_SECRET);
        }
    }

    @Inject
    OutboxRelay relay;

    @Test
    void tokensAre503WithoutATokenSecret() {
        UUID org = Tenants.org("No secret");
        var me = Tenants.memberOf(org, "member");
        given().auth().oauth2(me.token())
                .when().post("/v1/realtime/orgs/{orgId}/connection-token", org)
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", containsString("not-configured"));
    }

    @Test
    void withoutCentrifugoRowsWaitUnpublished() {
        String channel = "org:" + UUID.randomUUID();
        String key = Outbox.commitEvent(channel, "test.happened", Map.of("seq", 1));
        long passes = relay.passesEnded();
        relay.trigger();
        // without Centrifugo no timer runs passes: the one triggered after the commit had the row before it, and
        // attempted nothing, published nothing
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.passesEnded() > passes);
        Map<String, Object> row = Outbox.row(key);
        assertEquals("pending", row.get("status"));
        assertEquals(0, row.get("attempts"));
        assertTrue(CentrifugoStub.received().stream().noneMatch(r -> channel.equals(r.channel())));
        assertTrue(!relay.listening(), "no LISTEN connection without Centrifugo");
    }

    private static RequestSpecification proxy(String secret) {
        var request = given().contentType("application/json");
        return secret == null ? request : request.header("X-Centrifugo-Proxy-Secret", secret);
    }

    @Test
    void theSubscribeProxyAnswersOnlyRequestsCarryingItsSecret() {
        UUID org = Tenants.org("Proxy secret");
        var me = Tenants.memberOf(org, "member");
        String body = "{\"client\": \"c1\", \"transport\": \"websocket\", \"protocol\": \"json\", "
                + "\"encoding\": \"json\", \"user\": \"" + me.id() + "\", \"channel\": \"org:" + org + "\"}";
        for (String wrong : new String[] { null, "", "test-proxy-secreT", PROXY_SECRET + "x" }) {
            proxy(wrong).body(body).when().post("/centrifugo/subscribe")
                    .then().statusCode(403).contentType("application/problem+json").body("result", nullValue());
        }
        proxy(PROXY_SECRET).body(body).when().post("/centrifugo/subscribe")
                .then().statusCode(200).body("result", anEmptyMap()).body("error", nullValue());
    }
}
