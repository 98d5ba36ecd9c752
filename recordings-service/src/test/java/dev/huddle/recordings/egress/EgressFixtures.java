package dev.huddle.recordings.egress;

import java.util.List;
import java.util.Map;

import dev.huddle.testing.LiveKitSamples;
import dev.huddle.testing.LiveKitSigner;
import dev.huddle.testing.TestDatabase;
import io.restassured.response.ValidatableResponse;

/**
 * Egress webhook bodies as LiveKit sends them: the reference samples ({@link LiveKitSamples}) with egress id, room
 * name and event id substituted, signed as LiveKit signs them ({@link LiveKitSigner}: HS256, iss = API key, claim
 * sha256 = base64(SHA-256(raw body))), sent raw in Authorization.
 */
public final class EgressFixtures {

    public static final String WEBHOOK_PATH = "/webhooks/livekit/egress";

    private static final String STARTED = LiveKitSamples.reference("egress_started");
    private static final String ACTIVE = LiveKitSamples.reference("egress_updated_active");
    private static final String ENDING = LiveKitSamples.reference("egress_updated_ending");
    private static final String COMPLETE = LiveKitSamples.reference("egress_ended_complete");
    private static final String FAILED = LiveKitSamples.reference("egress_ended_failed");
    private static final String ROOM_STARTED = LiveKitSamples.reference("room_started");

    private EgressFixtures() {
    }

    public static String egressId() {
        return LiveKitSamples.id("EG_");
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
        return ROOM_STARTED.replace("org-3f1c-room-9a2b", roomName).replace("EV_room_started_1", LiveKitSamples.eventId());
    }

    private static String substitute(String template, String egressId, String roomName) {
        return template.replace("EG_u9dXk2LmQp", egressId).replace("org-3f1c-room-9a2b", roomName)
                .replaceAll("\"id\": \"EV_[a-z]+_\\d\"", "\"id\": \"" + LiveKitSamples.eventId() + "\"");
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
        return LiveKitSamples.deliver(WEBHOOK_PATH, body, authorization);
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
