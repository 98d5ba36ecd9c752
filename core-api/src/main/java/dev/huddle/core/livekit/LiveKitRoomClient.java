package dev.huddle.core.livekit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.config.LiveKitConfig;
import dev.huddle.platform.livekit.LiveKitTwirp;
import dev.huddle.platform.livekit.LiveKitTwirp.LiveKitApiException;
import io.livekit.server.RoomAdmin;
import io.livekit.server.RoomList;
import io.livekit.server.RoomName;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitRoom.ListParticipantsResponse;
import livekit.LivekitRoom.ListRoomsResponse;

/**
 * LiveKit's RoomService through {@link LiveKitTwirp}: {@code ListRooms} with roomList, {@code ListParticipants} with
 * roomAdmin on the one room; each call with the timeout its caller configures.
 */
@ApplicationScoped
public class LiveKitRoomClient {

    private final LiveKitTwirp twirp;

    public LiveKitRoomClient(Vertx vertx, LiveKitConfig config) {
        this.twirp = new LiveKitTwirp(vertx, config);
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
     * The participants LiveKit has in the room now; empty when LiveKit does not know the room (Twirp
     * {@code not_found}: it finished, everyone left). Fails with {@link LiveKitApiException} on any other answer.
     */
    public Uni<Optional<List<ParticipantInfo>>> listParticipants(String roomName, Duration timeout) {
        return twirp
                .call("livekit.RoomService/ListParticipants", new JsonObject().put("room", roomName), timeout,
                        ListParticipantsResponse.newBuilder(), new RoomAdmin(true),
                        new RoomName(roomName))
                .map(list -> list.map(ListParticipantsResponse.Builder::getParticipantsList));
    }

    /** The names of the rooms LiveKit has open now (every room of the project: ours and any other). */
    public Uni<List<String>> listRooms(Duration timeout) {
        return twirp.call("livekit.RoomService/ListRooms", new JsonObject(), timeout,
                ListRoomsResponse.newBuilder(), new RoomList(true))
                .map(list -> list.map(answer -> answer.getRoomsList().stream().map(Room::getName).toList())
                        .orElse(List.of()));
    }
}
