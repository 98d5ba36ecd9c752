package dev.huddle.recordings.egress;

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
 * Egress webhook bodies as LiveKit sends them: the reference samples (shared/reference/livekit/egress_*.json,
 * LiveKit's own protojson: lowerCamelCase, int64 as strings, zero values omitted) with egress id, room name, event
 * id and updatedAt substituted, signed with the SDK's {@link AccessToken} (HS256, iss = API key, claim sha256 =
 * base64(SHA-256(raw body))), sent raw in Authorization. Mirrors core-api's LiveKitFixtures: both belong in
 * platform-test.
 */
public final class EgressFixtures {

    public static final String WEBHOOK_PATH = "/webhooks/livekit/egress";

    // shared/reference/livekit/egress_started.json
    private static final String STARTED = """
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

    // shared/reference/livekit/egress_updated_active.json
    private static final String ACTIVE = """
            {
              "event": "egress_updated",
              "id": "EV_eu_1",
              "createdAt": "1795600010",
              "egressInfo": {
                "egressId": "EG_u9dXk2LmQp",
                "roomId": "RM_5GAbc12xYz",
                "status": "EGRESS_ACTIVE",
                "startedAt": "1795600020000000000",
                "roomName": "org-3f1c-room-9a2b",
                "updatedAt": "1795600025000000000"
              }
            }
            """;

    // shared/reference/livekit/egress_updated_ending.json
    private static final String ENDING = """
            {
              "event": "egress_updated",
              "id": "EV_eu_2",
              "createdAt": "1795600010",
              "egressInfo": {
                "egressId": "EG_u9dXk2LmQp",
                "roomId": "RM_5GAbc12xYz",
                "status": "EGRESS_ENDING",
                "startedAt": "1795600020000000000",
                "roomName": "org-3f1c-room-9a2b",
                "updatedAt": "1795600600000000000"
              }
            }
            """;

    // shared/reference/livekit/egress_ended_complete.json
    private static final String COMPLETE = """
            {
              "event": "egress_ended",
              "id": "EV_ee_1",
              "createdAt": "1795600010",
              "egressInfo": {
                "egressId": "EG_u9dXk2LmQp",
                "roomId": "RM_5GAbc12xYz",
                "status": "EGRESS_COMPLETE",
                "startedAt": "1795600020000000000",
                "endedAt": "1795600605000000000",
                "roomName": "org-3f1c-room-9a2b",
                "fileResults": [
                  {
                    "filename": "recordings/org-3f1c/EG_u9dXk2LmQp.mp4",
                    "startedAt": "1795600020000000000",
                    "endedAt": "1795600605000000000",
                    "size": "48213377",
                    "location": "s3://acme-recordings/recordings/org-3f1c/EG_u9dXk2LmQp.mp4",
                    "duration": "585000000000"
                  }
                ],
                "updatedAt": "1795600605000000000"
              }
            }
            """;

    // shared/reference/livekit/egress_ended_failed.json
    private static final String FAILED = """
            {
              "event": "egress_ended",
              "id": "EV_ee_2",
              "createdAt": "1795600010",
              "egressInfo": {
                "egressId": "EG_failed0001",
                "roomId": "RM_5GAbc12xYz",
                "status": "EGRESS_FAILED",
                "error": "pipeline failure: upload error",
                "startedAt": "1795600020000000000",
                "endedAt": "1795600030000000000",
                "roomName": "org-3f1c-room-9a2b",
                "updatedAt": "1795600030000000000"
              }
            }
            """;

    // shared/reference/livekit/room_started.json
    private static final String ROOM_STARTED = """
            {
              "event": "room_started",
              "room": {
                "sid": "RM_5GAbc12xYz",
                "name": "org-3f1c-room-9a2b",
                "emptyTimeout": 300,
                "maxParticipants": 20,
                "creationTime": "1795600000",
                "numParticipants": 1
              },
              "id": "EV_room_started_1",
              "createdAt": "1795600010"
            }
            """;

    private static final RestAssuredConfig RAW = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private EgressFixtures() {
    }

    public static String egressId() {
        return "EG_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static String started(String egressId, String roomName) {
        return substitute(STARTED, egressId, roomName);
    }

    public static String active(String egressId, String roomName) {
        return substitute(ACTIVE, egressId, roomName);
    }

    public static String ending(String egressId, String roomName) {
        return substitute(ENDING, egressId, roomName);
    }

    public static String complete(String egressId, String roomName) {
        return substitute(COMPLETE, egressId, roomName);
    }

    public static String failed(String egressId, String roomName) {
        return substitute(FAILED.replace("EG_failed0001", "EG_u9dXk2LmQp"), egressId, roomName);
    }

    /** The failed sample ended with another status, and no error text (protojson omits the empty string). */
    public static String ended(String egressId, String roomName, String status) {
        return failed(egressId, roomName).replace("EGRESS_FAILED", status)
                .replace("\"error\": \"pipeline failure: upload error\",", "");
    }

    public static String roomStarted(String roomName) {
        return ROOM_STARTED.replace("org-3f1c-room-9a2b", roomName).replace("EV_room_started_1", eventId());
    }

    private static String substitute(String template, String egressId, String roomName) {
        return template.replace("EG_u9dXk2LmQp", egressId).replace("org-3f1c-room-9a2b", roomName)
                .replaceAll("\"id\": \"EV_[a-z]+_\\d\"", "\"id\": \"" + eventId() + "\"");
    }

    private static String eventId() {
        return "EV_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static String sign(String body) {
        return sign(body, LiveKitTestResource.API_KEY, LiveKitTestResource.API_SECRET);
    }

    public static String sign(String body, String apiKey, String apiSecret) {
        return LiveKitSigner.sign(body, apiKey, apiSecret, java.time.Duration.ofMinutes(5));
    }

    public static ValidatableResponse deliver(String body) {
        return deliver(body, sign(body));
    }

    public static ValidatableResponse deliver(String body, String authorization) {
        var request = given().config(RAW).contentType("application/webhook+json");
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        return request.body(body.getBytes(StandardCharsets.UTF_8)).when().post(WEBHOOK_PATH).then();
    }

    /** The recording of an egress, or null. */
    public static Map<String, Object> recording(String egressId) {
        List<Map<String, Object>> rows = TestDatabase.sql("""
                SELECT id, org_id, room_id, status, location, object_key, size_bytes, duration_ms, error, source_updated_at_ns,
                       extract(epoch FROM started_at)::bigint AS started_at,
                       extract(epoch FROM ended_at)::bigint AS ended_at
                FROM recordings.recordings WHERE egress_id = ?""", egressId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public static String status(String egressId) {
        Map<String, Object> row = recording(egressId);
        return row == null ? null : (String) row.get("status");
    }

    /** The statuses announced for a recording, in order, as "channel status". */
    public static List<String> announced(Object recordingId) {
        return TestDatabase.sql("""
                SELECT channel || ' ' || (payload->'data'->>'status') AS event FROM realtime.outbox
                WHERE payload->>'type' = 'recording.updated' AND payload->'data'->>'recordingId' = ?
                ORDER BY id""", recordingId.toString())
                .stream().map(r -> (String) r.get("event")).toList();
    }
}
