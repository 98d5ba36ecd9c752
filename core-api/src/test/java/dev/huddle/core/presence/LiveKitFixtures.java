package dev.huddle.core.presence;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.LiveKitSigner;
import dev.huddle.testing.TestDatabase;
import io.livekit.server.AccessToken;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;

/**
 * LiveKit webhook bodies as LiveKit's server sends them, and their signatures. The bodies are the reference samples
 * (shared/reference/livekit/*.json, encoded by LiveKit's own protobuf library: lowerCamelCase, int64 as strings,
 * zero values omitted) with the room name, participant sid and identity, event id and createdAt substituted. They
 * are signed as LiveKit signs them, with the SDK's own {@link AccessToken}: HS256 with the API secret, iss = API
 * key, claim sha256 = base64(SHA-256(raw body)), valid 5 minutes, sent raw (no Bearer) in Authorization.
 */
final class LiveKitFixtures {

    static final String WEBHOOK_PATH = "/webhooks/livekit/rooms";

    // shared/reference/livekit/participant_joined.json
    private static final String PARTICIPANT_JOINED = """
            {
              "event": "participant_joined",
              "room": {
                "sid": "RM_5GAbc12xYz",
                "name": "org-3f1c-room-9a2b",
                "emptyTimeout": 300,
                "maxParticipants": 20,
                "creationTime": "1795600000",
                "numParticipants": 1
              },
              "participant": {
                "sid": "PA_kq81Zs0T",
                "identity": "user_01JABCDEF0123456789ABCDEFG",
                "state": "ACTIVE",
                "joinedAt": "1795600005",
                "name": "Ada",
                "version": 3
              },
              "id": "EV_pj_1",
              "createdAt": "1795600010"
            }
            """;

    // shared/reference/livekit/participant_left.json
    private static final String PARTICIPANT_LEFT = """
            {
              "event": "participant_left",
              "room": {
                "sid": "RM_5GAbc12xYz",
                "name": "org-3f1c-room-9a2b",
                "emptyTimeout": 300,
                "maxParticipants": 20,
                "creationTime": "1795600000",
                "numParticipants": 1
              },
              "participant": {
                "sid": "PA_kq81Zs0T",
                "identity": "user_01JABCDEF0123456789ABCDEFG",
                "state": "DISCONNECTED",
                "joinedAt": "1795600005",
                "name": "Ada",
                "version": 3,
                "disconnectReason": "CLIENT_INITIATED"
              },
              "id": "EV_pl_1",
              "createdAt": "1795600010"
            }
            """;

    // shared/reference/livekit/room_finished.json
    private static final String ROOM_FINISHED = """
            {
              "event": "room_finished",
              "room": {
                "sid": "RM_5GAbc12xYz",
                "name": "org-3f1c-room-9a2b",
                "emptyTimeout": 300,
                "maxParticipants": 20,
                "creationTime": "1795600000",
                "numParticipants": 1
              },
              "id": "EV_rf_1",
              "createdAt": "1795600010"
            }
            """;

    // shared/reference/livekit/egress_started.json
    private static final String EGRESS_STARTED = """
            {
              "event": "egress_started",
              "id": "EV_es_1",
              "createdAt": "1795600010",
              "egressInfo": {
                "egressId": "EG_u9dXk2LmQp",
                "roomId": "RM_5GAbc12xYz",
                "startedAt": "1795600020000000000",
                "roomName": "org-3f1c-room-9a2b",
                "updatedAt": "1795600020000000000"
              }
            }
            """;

    private static final RestAssuredConfig RAW = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private LiveKitFixtures() {
    }

    static String joined(String roomName, String sid, String identity, long createdAt) {
        return participant(PARTICIPANT_JOINED, roomName, sid, identity, createdAt);
    }

    static String left(String roomName, String sid, String identity, long createdAt) {
        return participant(PARTICIPANT_LEFT, roomName, sid, identity, createdAt);
    }

    /** participant_connection_aborted: the participant_left body under the other event name. */
    static String aborted(String roomName, String sid, String identity, long createdAt) {
        return left(roomName, sid, identity, createdAt)
                .replace("\"event\": \"participant_left\"", "\"event\": \"participant_connection_aborted\"");
    }

    static String roomFinished(String roomName, long createdAt) {
        return ROOM_FINISHED.replace("\"name\": \"org-3f1c-room-9a2b\"", "\"name\": \"" + roomName + "\"")
                .replace("\"createdAt\": \"1795600010\"", "\"createdAt\": \"" + createdAt + "\"")
                .replace("\"id\": \"EV_rf_1\"", "\"id\": \"" + eventId() + "\"");
    }

    static String egressStarted(String roomName) {
        return EGRESS_STARTED.replace("\"roomName\": \"org-3f1c-room-9a2b\"", "\"roomName\": \"" + roomName + "\"");
    }

    private static String participant(String template, String roomName, String sid, String identity, long createdAt) {
        return template.replace("\"name\": \"org-3f1c-room-9a2b\"", "\"name\": \"" + roomName + "\"")
                .replace("\"sid\": \"PA_kq81Zs0T\"", "\"sid\": \"" + sid + "\"")
                .replace("\"identity\": \"user_01JABCDEF0123456789ABCDEFG\"", "\"identity\": \"" + identity + "\"")
                .replace("\"joinedAt\": \"1795600005\"", "\"joinedAt\": \"" + (createdAt - 5) + "\"")
                .replace("\"createdAt\": \"1795600010\"", "\"createdAt\": \"" + createdAt + "\"")
                .replaceAll("\"id\": \"EV_p[jl]_1\"", "\"id\": \"" + eventId() + "\"");
    }

    /** A new participant sid, as LiveKit makes them. */
    static String sid() {
        return "PA_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String eventId() {
        return "EV_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The Authorization LiveKit sends with {@code body}. */
    static String sign(String body) {
        return sign(body, LiveKitTestResource.API_KEY, LiveKitTestResource.API_SECRET, 5 * 60 * 1000L);
    }

    static String sign(String body, String apiKey, String apiSecret, long ttlMillis) {
        return LiveKitSigner.sign(body, apiKey, apiSecret, java.time.Duration.ofMillis(ttlMillis));
    }

    /** Delivers {@code body} signed as LiveKit would. */
    static ValidatableResponse deliver(String body) {
        return deliver(body, sign(body));
    }

    static ValidatableResponse deliver(String body, String authorization) {
        var request = given().config(RAW).contentType("application/webhook+json");
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        return request.body(body.getBytes(StandardCharsets.UTF_8)).when().post(WEBHOOK_PATH).then();
    }

    /** The stored row of a session (times in epoch seconds), or null. */
    static Map<String, Object> row(UUID roomId, String sid) {
        List<Map<String, Object>> rows = TestDatabase.sql("""
                SELECT state, identity, user_id, extract(epoch FROM joined_at)::bigint AS joined_at,
                       extract(epoch FROM left_at)::bigint AS left_at,
                       extract(epoch FROM last_event_at)::bigint AS last_event_at
                FROM core.room_presence WHERE room_id = ? AND participant_sid = ?""", roomId, sid);
        return rows.isEmpty() ? null : rows.get(0);
    }

    static String state(UUID roomId, String sid) {
        Map<String, Object> row = row(roomId, sid);
        return row == null ? null : (String) row.get("state");
    }

    /** The outbox events about a session, in order: "channel type". */
    static List<String> announced(String sid) {
        return TestDatabase.sql("""
                SELECT channel || ' ' || (payload->>'type') AS event FROM realtime.outbox
                WHERE payload->'data'->>'participantSid' = ? ORDER BY id""", sid)
                .stream().map(r -> (String) r.get("event")).toList();
    }
}
