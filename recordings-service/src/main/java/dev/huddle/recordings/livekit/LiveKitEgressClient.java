package dev.huddle.recordings.livekit;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.platform.livekit.LiveKitTwirp;
import dev.huddle.platform.livekit.LiveKitTwirp.LiveKitApiException;
import dev.huddle.recordings.config.RecordingsConfig;
import io.livekit.server.RoomRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.ListEgressResponse;

/**
 * LiveKit's Egress service ({@code livekit.Egress/ListEgress} through {@link LiveKitTwirp}), with {@code roomRecord},
 * the grant every Egress call needs.
 */
@ApplicationScoped
public class LiveKitEgressClient {

    private final LiveKitTwirp twirp;
    private final RecordingsConfig recordings;

    public LiveKitEgressClient(Vertx vertx, LiveKitConfig config, RecordingsConfig recordings) {
        this.twirp = new LiveKitTwirp(vertx, config);
        this.recordings = recordings;
    }

    @PreDestroy
    void close() {
        twirp.close();
    }

    /** Whether URL, API key and secret are all set. */
    public boolean configured() {
        return twirp.configured();
    }

    /**
     * What LiveKit knows of the egress now; empty when it does not know it (Twirp {@code not_found}: it never existed
     * or LiveKit no longer keeps it). Fails with {@link LiveKitApiException} on any other answer, and with the
     * client's exception when LiveKit cannot be reached.
     */
    public Uni<Optional<EgressInfo>> egress(String egressId) {
        return twirp.call("livekit.Egress/ListEgress", new JsonObject().put("egressId", egressId),
                recordings.jobs().livekitTimeout(), ListEgressResponse.newBuilder(), new RoomRecord(true))
                .map(list -> list.flatMap(l -> l.getItemsList().stream()
                        .filter(info -> egressId.equals(info.getEgressId())).findFirst()));
    }
}
