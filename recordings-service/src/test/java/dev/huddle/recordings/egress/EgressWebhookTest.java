package dev.huddle.recordings.egress;

import static dev.huddle.recordings.egress.EgressFixtures.active;
import static dev.huddle.recordings.egress.EgressFixtures.announced;
import static dev.huddle.recordings.egress.EgressFixtures.complete;
import static dev.huddle.recordings.egress.EgressFixtures.deliver;
import static dev.huddle.recordings.egress.EgressFixtures.ending;
import static dev.huddle.recordings.egress.EgressFixtures.recording;
import static dev.huddle.recordings.egress.EgressFixtures.started;
import static dev.huddle.recordings.egress.EgressFixtures.status;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class EgressWebhookTest {

    private UUID org;
    private UUID room;
    private String roomName;

    @BeforeEach
    void aRoom() {
        org = Tenants.org("Egress");
        room = Tenants.room(org, "Studio");
        roomName = Tenants.roomName(room);
    }

    @Test
    void egressStartedWithoutStatusCreatesARecordingInTheRoomsOrg() {
        String egress = EgressFixtures.egressId();
        String body = started(egress, roomName);
        assertThat(body, not(containsString("\"status\"")));

        deliver(body).statusCode(200).body("event", equalTo("egress_started")).body("outcome", equalTo("applied"));

        Map<String, Object> row = recording(egress);
        assertThat(row.get("status"), is("recording"));
        assertThat(row.get("org_id"), is(org));
        assertThat(row.get("room_id"), is(room));
        assertThat(row.get("started_at"), is(1795600020L));
        assertThat(row.get("source_updated_at_ns"), is(1795600020000000000L));
        assertThat(announced(row.get("id")), contains("org:" + org + " recording"));
    }

    @Test
    void aCompleteEgressEndsReadyWithItsFileResult() {
        String egress = EgressFixtures.egressId();
        deliver(started(egress, roomName)).statusCode(200);
        deliver(active(egress, roomName)).statusCode(200).body("outcome", equalTo("unchanged"));
        deliver(ending(egress, roomName)).statusCode(200).body("outcome", equalTo("applied"));
        assertThat(status(egress), is("finalizing"));
        deliver(complete(egress, roomName)).statusCode(200).body("outcome", equalTo("applied"));

        Map<String, Object> row = recording(egress);
        assertThat(row.get("status"), is("ready"));
        assertThat(row.get("location"), is("s3://acme-recordings/recordings/org-3f1c/" + egress + ".mp4"));
        // the key egress uploaded to (fileResults[].filename): what storage is addressed with
        assertThat(row.get("object_key"), is("recordings/org-3f1c/" + egress + ".mp4"));
        assertThat(row.get("size_bytes"), is(48213377L));
        assertThat(row.get("duration_ms"), is(585000L));
        assertThat(row.get("started_at"), is(1795600020L));
        assertThat(row.get("ended_at"), is(1795600605L));
        assertThat(row.get("error"), nullValue());
        assertThat(announced(row.get("id")), contains("org:" + org + " recording",
                "org:" + org + " finalizing", "org:" + org + " ready"));
    }

    @Test
    void everyOrderOfTheLifecycleEndsReady() {
        List<BiFunction<String, String, String>> events = List.of(EgressFixtures::started, EgressFixtures::active,
                EgressFixtures::ending, EgressFixtures::complete);
        for (List<Integer> order : permutations(List.of(0, 1, 2, 3))) {
            String egress = EgressFixtures.egressId();
            for (int i : order) {
                deliver(events.get(i).apply(egress, roomName)).statusCode(200);
            }
            assertThat("order " + order, status(egress), is("ready"));
            assertThat("order " + order, recording(egress).get("size_bytes"), is(48213377L));
            List<String> announced = announced(recording(egress).get("id"));
            assertThat("order " + order, announced.get(announced.size() - 1), is("org:" + org + " ready"));
            assertThat("order " + order + ": one announcement per status", Set.copyOf(announced).size(),
                    is(announced.size()));
        }
    }

    @Test
    void anOlderUpdateNeverOverwritesANewerOne() {
        String egress = EgressFixtures.egressId();
        deliver(ending(egress, roomName)).statusCode(200);
        deliver(active(egress, roomName)).statusCode(200).body("outcome", equalTo("unchanged"));
        deliver(started(egress, roomName)).statusCode(200).body("outcome", equalTo("unchanged"));
        assertThat(status(egress), is("finalizing"));
        assertThat(recording(egress).get("source_updated_at_ns"), is(1795600600000000000L));
    }

    @Test
    void duplicateDeliveriesChangeNothing() {
        String egress = EgressFixtures.egressId();
        for (String body : List.of(started(egress, roomName), ending(egress, roomName), complete(egress, roomName))) {
            deliver(body).statusCode(200).body("outcome", equalTo("applied"));
            deliver(body).statusCode(200).body("outcome", equalTo("unchanged"));
        }
        assertThat(status(egress), is("ready"));
        assertThat(announced(recording(egress).get("id")), hasSize(3));
    }

    @Test
    void aFailedEgressEndsFailedWithItsErrorAndIsNeverLeft() {
        String egress = EgressFixtures.egressId();
        deliver(started(egress, roomName)).statusCode(200);
        deliver(EgressFixtures.failed(egress, roomName)).statusCode(200).body("outcome", equalTo("applied"));
        deliver(complete(egress, roomName)).statusCode(200).body("outcome", equalTo("unchanged"));
        deliver(active(egress, roomName)).statusCode(200).body("outcome", equalTo("unchanged"));

        Map<String, Object> row = recording(egress);
        assertThat(row.get("status"), is("failed"));
        assertThat(row.get("error"), is("pipeline failure: upload error"));
        assertThat(row.get("location"), nullValue());
        assertThat(row.get("object_key"), nullValue());
        assertThat(row.get("ended_at"), is(1795600030L));
    }

    @Test
    void abortedAndLimitReachedEndFailed() {
        for (String status : List.of("EGRESS_ABORTED", "EGRESS_LIMIT_REACHED")) {
            String egress = EgressFixtures.egressId();
            deliver(EgressFixtures.ended(egress, roomName, status)).statusCode(200);
            assertThat(status(egress), is("failed"));
            assertThat((String) recording(egress).get("error"), containsString(status));
        }
    }

    @Test
    void anInvalidSignatureIs401AndWritesNothing() {
        String egress = EgressFixtures.egressId();
        String body = started(egress, roomName);
        deliver(body, EgressFixtures.sign(body, LiveKitTestResource.API_KEY, "another-secret-0123456789abcdefghijkl"))
                .statusCode(401).contentType("application/problem+json");
        deliver(body, EgressFixtures.sign(body.replace(roomName, "tampered"))).statusCode(401);
        deliver(body, null).statusCode(401);
        assertThat(recording(egress), nullValue());
    }

    @Test
    void anEgressOfAnUnknownRoomIsAcknowledgedAndWritesNothing() {
        String egress = EgressFixtures.egressId();
        long outbox = (Long) TestDatabase.value("SELECT count(*) FROM realtime.outbox");
        deliver(started(egress, "no-such-room-" + UUID.randomUUID())).statusCode(200)
                .body("outcome", equalTo("ignored"));
        deliver(complete(egress, "no-such-room-" + UUID.randomUUID())).statusCode(200)
                .body("outcome", equalTo("ignored"));
        assertThat(recording(egress), nullValue());
        assertThat((Long) TestDatabase.value("SELECT count(*) FROM realtime.outbox"), is(outbox));
    }

    @Test
    void roomEventsAreAcknowledgedAndIgnored() {
        deliver(EgressFixtures.roomStarted(roomName)).statusCode(200).body("event", equalTo("room_started"))
                .body("outcome", equalTo("ignored"));
    }

    private static List<List<Integer>> permutations(List<Integer> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<Integer>> all = new ArrayList<>();
        for (Integer first : items) {
            List<Integer> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<Integer> tail : permutations(rest)) {
                List<Integer> p = new ArrayList<>(List.of(first));
                p.addAll(tail);
                all.add(Collections.unmodifiableList(p));
            }
        }
        return all;
    }
}
