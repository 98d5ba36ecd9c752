package dev.huddle.recordings;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A server started without LiveKit and without storage, as a stack without accounts would be. */
public class WithoutOutsideServices implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "huddle.livekit.url", "",
                "huddle.livekit.api-key", "",
                "huddle.livekit.api-secret", "",
                "huddle.recordings.storage.bucket", "",
                "huddle.recordings.storage.access-key-id", "",
                "huddle.recordings.storage.secret-access-key", "");
    }
}
