package dev.huddle.core.presence;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * The LiveKit stub for the whole core-api test run (like {@code dev.huddle.core.TestResources}): one application for
 * every test class, since a second start per resource set is slower and PostgresTestResource does not survive it.
 * Every core-api test therefore sees LiveKit configured, with the scheduled reconcile off.
 */
@QuarkusTestResource(LiveKitTestResource.class)
public class PresenceTestResources {
}
