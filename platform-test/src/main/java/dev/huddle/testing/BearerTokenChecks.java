package dev.huddle.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.Response;

/**
 * What every service must refuse at the door, whatever its routes: for every operation its served OpenAPI secures with
 * the bearer scheme, forged tokens ({@code alg: none}, HS256 keyed with the trusted RSA public key) and tokens issued
 * to another WorkOS client are 401 problem+json, while genuine tokens for the same user are not. Each service's
 * {@code *ChecksTest} calls {@link #forgedAndForeignTokensAre401OnEveryBearerRoute()}.
 */
public final class BearerTokenChecks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OTHER_CLIENT = "client_01OTHERCLIENT";
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    private BearerTokenChecks() {
    }

    /** An operation of the served contract: method and path with its parameters filled in. */
    record Route(String method, String path, boolean jsonBody) {

        Response call(String token) {
            var request = given().auth().oauth2(token);
            if (jsonBody) {
                request = request.contentType("application/json").body("{}");
            }
            return request.when().request(method.toUpperCase(), path);
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    public static void forgedAndForeignTokensAre401OnEveryBearerRoute() {
        List<Route> routes = bearerRoutes();
        assertFalse(routes.isEmpty(), "the served OpenAPI secures no operation with the bearer scheme");
        String subject = Tenants.user().workosUserId();
        Map<String, String> refused = refusedTokens(subject);
        Map<String, String> accepted = Map.of(
                "a token whose issuer names our client", TestTokens.forUser(subject),
                "a custom-domain token naming our client in client_id", TestTokens.minter().mint(
                        AuthTestResource.OTHER_ACCEPTED_ISSUER, subject, Duration.ofMinutes(5),
                        Map.of("client_id", AuthTestResource.CLIENT_ID)),
                "a custom-domain token naming our client in aud", TestTokens.minter().mint(
                        AuthTestResource.OTHER_ACCEPTED_ISSUER, subject, Duration.ofMinutes(5),
                        Map.of("aud", AuthTestResource.CLIENT_ID)));
        List<String> failures = new ArrayList<>();
        for (Route route : routes) {
            for (var token : refused.entrySet()) {
                Response response = route.call(token.getValue());
                if (response.statusCode() != 401 || !response.contentType().startsWith("application/problem+json")) {
                    failures.add(route + " with " + token.getKey() + ": " + response.statusCode() + " "
                            + response.contentType());
                }
            }
            for (var token : accepted.entrySet()) {
                int status = route.call(token.getValue()).statusCode();
                if (status == 401) {
                    failures.add(route + " refused " + token.getKey() + " (401)");
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Tokens no service may accept, by what is wrong with them; each otherwise valid for {@code subject}. */
    static Map<String, String> refusedTokens(String subject) {
        TokenMinter minter = TestTokens.minter();
        String claims = TokenMinter.claims(AuthTestResource.ISSUER, subject, Duration.ofMinutes(5), Map.of());
        byte[] der = minter.publicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("alg none", unsigned(header("none", minter.keyId()), claims));
        tokens.put("HS256 keyed with the public key (PEM)",
                hs256(header("HS256", minter.keyId()), claims, pem.getBytes(StandardCharsets.US_ASCII)));
        tokens.put("HS256 keyed with the public key (DER)", hs256(header("HS256", minter.keyId()), claims, der));
        tokens.put("an issuer naming another client", minter.mint(
                "https://api.workos.com/user_management/" + OTHER_CLIENT, subject, Duration.ofMinutes(5)));
        tokens.put("our issuer but client_id of another client", minter.mint(AuthTestResource.ISSUER, subject,
                Duration.ofMinutes(5), Map.of("client_id", OTHER_CLIENT)));
        tokens.put("a custom-domain token for another client (client_id)",
                minter.mint(AuthTestResource.OTHER_ACCEPTED_ISSUER, subject, Duration.ofMinutes(5),
                        Map.of("client_id", OTHER_CLIENT)));
        tokens.put("a custom-domain token for another client (aud)",
                minter.mint(AuthTestResource.OTHER_ACCEPTED_ISSUER, subject, Duration.ofMinutes(5),
                        Map.of("aud", OTHER_CLIENT)));
        tokens.put("a custom-domain token naming no client",
                minter.mint(AuthTestResource.OTHER_ACCEPTED_ISSUER, subject, Duration.ofMinutes(5)));
        return tokens;
    }

    private static String header(String alg, String kid) {
        return JSON.createObjectNode().put("alg", alg).put("typ", "JWT").put("kid", kid).toString();
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String unsigned(String header, String claims) {
        return base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static String hs256(String header, String claims, byte[] key) {
        String input = unsigned(header, claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal(input.substring(0, input.length() - 1).getBytes(StandardCharsets.US_ASCII));
            return input + base64Url(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every operation of the served OpenAPI that requires the bearer scheme, path parameters filled with UUIDs. */
    static List<Route> bearerRoutes() {
        String served = given().accept("application/json").queryParam("format", "json")
                .when().get("/q/openapi").then().statusCode(200).extract().asString();
        JsonNode paths;
        try {
            paths = JSON.readTree(served).path("paths");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("the served OpenAPI is not JSON", e);
        }
        List<Route> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null || !requiresBearer(operation)) {
                    continue;
                }
                String concrete = path.getKey().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
                routes.add(new Route(method, concrete, operation.has("requestBody")));
            }
        }
        return routes;
    }

    private static boolean requiresBearer(JsonNode operation) {
        for (JsonNode requirement : operation.path("security")) {
            if (requirement.has("bearer")) {
                return true;
            }
        }
        return false;
    }
}
