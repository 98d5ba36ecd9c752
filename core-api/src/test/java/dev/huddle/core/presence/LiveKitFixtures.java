package dev.huddle.core.presence;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.LiveKitSamples;
import dev.huddle.testing.LiveKitSigner;
import dev.huddle.testing.TestDatabase;
import io.restassured.response.ValidatableResponse;

/**
 * LiveKit room webhook bodies as LiveKit's server sends them, and their signatures. The bodies are the reference
 * samples ({@link LiveKitSamples}) with the room name, participant sid and identity, event id and createdAt
 * substituted. They are signed as LiveKit signs them ({@link LiveKitSigner}: HS256 with the API secret, iss = API
 * key, claim sha256 = base64(SHA-256(raw body))), valid 5 minutes, sent raw (no Bearer) in Authorization.
 */
final class LiveKitFixtures {

    static final String WEBHOOK_PATH = "/webhooks/livekit/rooms";

    private static final String PARTICIPANT_JOINED = LiveKitSamples.reference("participant_joined");
    private static final String PARTICIPANT_LEFT = LiveKitSamples.reference("participant_left");
    private static final String ROOM_FINISHED = LiveKitSamples.reference("room_finished");
    private static final String EGRESS_STARTED = LiveKitSamples.reference("egress_started");

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
                .replace("\"id\": \"EV_rf_1\"", "\"id\": \"" + LiveKitSamples.eventId() + "\"");
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
                .replaceAll("\"id\": \"EV_p[jl]_1\"", "\"id\": \"" + LiveKitSamples.eventId() + "\"");
    }

    /** A new participant sid, as LiveKit makes them. */
    static String sid() {
        return LiveKitSamples.id("PA_");
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
        return LiveKitSamples.deliver(WEBHOOK_PATH, body, authorization);
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
