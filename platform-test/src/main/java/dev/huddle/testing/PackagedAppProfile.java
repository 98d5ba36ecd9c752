package dev.huddle.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The packaged app of a {@code *ChecksIT} runs in the prod profile, as deployed; a deployment names the browser origin
 * it allows ({@code CORS_ORIGINS}), and so does this profile, the one the {@link ServiceChecks} expect.
 */
public class PackagedAppProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.http.cors.origins", "http://localhost:3000");
    }
}
