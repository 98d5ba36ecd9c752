package dev.huddle.recordings.config;

import jakarta.enterprise.event.Observes;

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.recordings.storage.RecordingStorage;
import io.quarkus.runtime.StartupEvent;

/** Says at start-up which outside services are configured and what is off without them. */
public class StartupReport {

    void onStart(@Observes StartupEvent event, LiveKitConfig liveKit, RecordingStorage storage) {
        liveKit.asExternalService("egress webhooks are refused, and stale recordings are not checked with LiveKit: "
                + "they are failed once finalizing for give-up-after")
                .report();
        storage.asExternalService("objects of deleted recordings wait in recordings.storage_deletions until it is, "
                + "and download URLs answer 503").report();
    }
}
