package dev.huddle.realtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The prod profile's defaults fail closed: with the proxy secret set the service starts (without it, see
 * {@code ProdWithoutProxySecretTest}), and no browser origin is allowed unless configured.
 */
@QuarkusTest
@TestProfile(ProdProfileDefaultsTest.Prod.class)
class ProdProfileDefaultsTest {

    static final String PROXY_SECRET = "prod-proxy-secret";

    public static class Prod implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("huddle.realtime.proxy.secret", PROXY_SECRET, "quarkus.log.console.json.enabled", "false");
        }
    }

    @Test
    void noBrowserOriginIsAllowedUnlessConfigured() {
        for (String origin : new String[] { "http://localhost:3000", "https://evil.example" }) {
            given().header("Origin", origin)
                    .header("Access-Control-Request-Method", "GET")
                    .header("Access-Control-Request-Headers", "authorization")
                    .when().options("/v1/realtime/orgs/{orgId}/channels", UUID.randomUUID())
                    .then().header("Access-Control-Allow-Origin", nullValue())
                    .header("Access-Control-Allow-Credentials", nullValue());
        }
    }
}
