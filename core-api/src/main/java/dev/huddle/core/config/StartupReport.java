package dev.huddle.core.config;

import jakarta.enterprise.event.Observes;

import dev.huddle.core.auth.SessionService;
import dev.huddle.platform.config.LiveKitConfig;
import io.quarkus.runtime.StartupEvent;

/** Says at start-up which outside services are configured and what is off without them. */
public class StartupReport {

    void onStart(@Observes StartupEvent event, WorkOsConfig workOs, LiveKitConfig liveKit, SessionService sessions) {
        workOs.asExternalService().report();
        sessions.asExternalService().report();
        liveKit.asExternalService("room presence webhooks are refused and presence is not reconciled").report();
    }
}
