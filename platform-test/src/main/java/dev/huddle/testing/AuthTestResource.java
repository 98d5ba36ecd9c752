package dev.huddle.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for WorkOS's JWKS endpoint: a WireMock server publishing the public half of a key generated for
 * this run, so services validate real RS256 signatures exactly as in production. {@link TestTokens} signs with
 * the private half.
 */
public class AuthTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "client_01TEST";
    /** The issuer {@link TestTokens} puts in tokens, one of the accepted ones. */
    public static final String ISSUER = "https://api.workos.com/user_management/" + CLIENT_ID;
    /** Accepted too, like a custom auth domain (whose tokens must then name the client in client_id or aud). */
    public static final String OTHER_ACCEPTED_ISSUER = "https://auth.huddle.test";

    static final String KEY_FILE_PROPERTY = "huddle.test.auth.key-file";

    private WireMockServer server;
    private Path keyFile;

    @Override
    public Map<String, String> start() {
        TokenMinter minter = TokenMinter.generate();
        try {
            keyFile = Files.createTempFile("huddle-test-signing-key", ".jwk");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        minter.save(keyFile);
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(get(urlEqualTo("/sso/jwks/" + CLIENT_ID)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody(minter.jwksJson())));
        String base = "http://127.0.0.1:" + server.port();
        return Map.of(
                "quarkus.oidc.auth-server-url", base,
                "quarkus.oidc.jwks-path", base + "/sso/jwks/" + CLIENT_ID,
                "huddle.auth.issuers", ISSUER + "," + OTHER_ACCEPTED_ISSUER,
                "huddle.auth.client-id", CLIENT_ID,
                KEY_FILE_PROPERTY, keyFile.toString());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        if (keyFile != null) {
            keyFile.toFile().delete();
        }
    }
}
