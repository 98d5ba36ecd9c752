package dev.huddle.realtime.tokens;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.huddle.realtime.config.CentrifugoConfig;
import dev.huddle.realtime.config.RealtimeConfig;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** Tokens signed RS256 with {@code CENTRIFUGO_TOKEN_RSA_PRIVATE_KEY}, checked with the public half Centrifugo holds. */
@QuarkusTest
@TestProfile(Rs256TokensTest.Rsa.class)
class Rs256TokensTest {

    /** A key pair made for this run; the public half travels in a test property, as Centrifugo's config would. */
    public static class Rsa implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            KeyPair pair = keyPair();
            return Map.of("huddle.centrifugo.token-hmac-secret", "",
                    "huddle.centrifugo.token-rsa-private-key", pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                    "test.centrifugo.rsa-public-key", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        }
    }

    static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** The token's claims after checking its RS256 signature with the public key. */
    private static JsonObject verified(String token) throws Exception {
        Jws jws = Jws.parse(token);
        assertEquals("RS256", jws.header().getString("alg"));
        byte[] der = Base64.getDecoder().decode(
                ConfigProvider.getConfig().getValue("test.centrifugo.rsa-public-key", String.class));
        PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(publicKey);
        rs256.update(jws.signingInput());
        assertTrue(rs256.verify(jws.signature()), "signature");
        return jws.claims();
    }

    @Test
    void connectionTokensAreSignedRs256() throws Exception {
        UUID org = Tenants.org("Rsa");
        var me = Tenants.memberOf(org, "member");
        String connection = given().auth().oauth2(me.token())
                .when().post("/v1/realtime/orgs/{orgId}/connection-token", org)
                .then().statusCode(200).extract().jsonPath().getString("token");
        assertEquals(me.id().toString(), verified(connection).getString("sub"));
    }

    private static CentrifugoConfig keys(String hmac, String rsa) {
        return TestConfig.mapping(CentrifugoConfig.class, "huddle.centrifugo.token-hmac-secret", hmac,
                "huddle.centrifugo.token-rsa-private-key", rsa);
    }

    /** The default token lifetime (10 minutes). */
    private static RealtimeConfig ttl() {
        return TestConfig.mapping(RealtimeConfig.class, Map.of());
    }

    @Test
    void aKeyThatCannotBeReadOrTwoKeysStopTheServiceAtStartUp() {
        String rsa = pem("PRIVATE KEY", keyPair().getPrivate().getEncoded());
        var both = assertThrows(IllegalStateException.class,
                () -> new TokenService(keys("a-long-enough-hmac-secret-for-centrifugo", rsa), ttl()));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        var unreadable = assertThrows(IllegalStateException.class,
                () -> new TokenService(keys(null, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----"),
                        ttl()));
        assertTrue(unreadable.getMessage().contains("CENTRIFUGO_TOKEN_RSA_PRIVATE_KEY"), unreadable.getMessage());
        // either key alone is fine
        new TokenService(keys(null, rsa), ttl());
        new TokenService(keys("a-long-enough-hmac-secret-for-centrifugo", null), ttl());
    }
}
