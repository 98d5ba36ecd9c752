package dev.huddle.platform.livekit;

import io.quarkus.runtime.annotations.RegisterForReflection;
import livekit.LivekitEgress;
import livekit.LivekitModels;
import livekit.LivekitRoom;
import livekit.LivekitWebhook;

/**
 * Native image: protobuf-java's generated messages find their fields' accessors by reflection (the field accessor
 * tables), and {@link LiveKitTwirp} and {@link LiveKitWebhookReceiver} parse them with {@code JsonFormat}. Registers
 * every message, builder and enum of the LiveKit protocol files the services use (nested classes included).
 */
@RegisterForReflection(targets = { LivekitEgress.class, LivekitModels.class, LivekitRoom.class,
        LivekitWebhook.class }, ignoreNested = false)
public final class LiveKitReflection {

    private LiveKitReflection() {
    }
}
