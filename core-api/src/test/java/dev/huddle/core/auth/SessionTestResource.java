package dev.huddle.core.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import dev.huddle.testing.AuthTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Sign-in configured for the whole core-api test run: WorkOS's client id and redirect URI (its API key and base URL,
 * the WireMock stub, come from {@link dev.huddle.core.identity.WorkOsTestResource}), two encryption keys generated
 * for the run (the first encrypts), a reuse interval short enough to wait out in a test, and no practical per-address
 * sign-in limit, since the whole run comes from one address.
 */
public class SessionTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String REDIRECT_URI = "http://localhost:3000/auth/callback";
    /** Long enough for 20 racing refreshes on a slow machine, short enough to wait out. */
    public static final String REUSE_INTERVAL = "3s";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "huddle.workos.client-id", AuthTestResource.CLIENT_ID,
                "huddle.workos.redirect-uri", REDIRECT_URI,
                "huddle.sessions.encryption-keys", "k2:" + randomKey() + ",k1:" + randomKey(),
                "huddle.sessions.reuse-interval", REUSE_INTERVAL,
                "huddle.sessions.workos-timeout", "2s",
                // every test signs in from 127.0.0.1: the run is not one client (BoundsTestProfile tests the limit)
                "huddle.rate-limits.sign-in.per-address", "1000000");
    }

    @Override
    public void stop() {
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
