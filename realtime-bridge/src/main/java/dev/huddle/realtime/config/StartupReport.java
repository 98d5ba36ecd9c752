package dev.huddle.realtime.config;

import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/** Says at start-up which outside services are configured and what is off without them. */
public class StartupReport {

    void onStart(@Observes StartupEvent event, CentrifugoConfig centrifugo) {
        centrifugo.asExternalService().report();
    }
}
