package dev.huddle.recordings.jobs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.huddle.recordings.egress.EgressFixtures;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * #13: stale reconciliation where pg_cron runs the SQL job, as in production. The migrations' own job command runs
 * for real through pg_cron in this test's database (once for the class: pg_cron 1.4 runs by the minute), with the
 * settings recordings-service wrote at start-up (30 minutes, 24 hours). Then recordings-service does what it does
 * under pg_cron: only the LiveKit check ({@code reconcileStale(true)}). Skipped without pg_cron, failed without it on
 * CI.
 */
@QuarkusTest
class PgCronStaleReconcileTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RecordingJobs jobs;

    record Finalizing(UUID orgId, UUID id, String egressId, String roomName) {

        /** A recording finalizing since {@code ago}, as the webhooks left it. */
        static Finalizing since(Duration ago) {
            UUID org = Tenants.org("PgCron");
            UUID room = Tenants.room(org, "R");
            String egress = EgressFixtures.egressId();
            UUID id = (UUID) TestDatabase.value("""
                    INSERT INTO recordings.recordings (org_id, room_id, egress_id, status, created_at, updated_at)
                    VALUES (?, ?, ?, 'finalizing', now() - interval '2 days', now() - make_interval(secs => ?))
                    RETURNING id""", org, room, egress, (double) ago.toSeconds());
            return new Finalizing(org, id, egress, Tenants.roomName(room));
        }

        Map<String, Object> row() {
            return TestDatabase.sql("""
                    SELECT status, error, object_key, stale_since, failed_by_reconciliation
                    FROM recordings.recordings WHERE id = ?""", id).get(0);
        }
    }

    private static Finalizing fortyMinutes;
    private static Finalizing pastTheHardLimit;
    private static String run;

    @BeforeAll
    static void oneRunOfThePgCronJob() throws Exception {
        fortyMinutes = Finalizing.since(Duration.ofMinutes(40));
        pastTheHardLimit = Finalizing.since(Duration.ofHours(25));
        String command = PgCron.scheduledByTheMigrations().get("reconcile-stale-recordings").command();
        run = PgCron.runOnce(TestDatabase.current().admin().database(), command);
    }

    @Test
    void thePgCronJobRanWithTheDefaultSettings() {
        assertThat(run, startsWith("succeeded"));
        Map<String, Object> settings = TestDatabase.sql("""
                SELECT stale_after = interval '30 minutes' AS stale, give_up_after = interval '24 hours' AS give_up
                FROM recordings.job_settings""").get(0);
        assertThat(settings, is(Map.of("stale", true, "give_up", true)));
    }

    @Test
    void aRecordingFinalizingFor40MinutesThatLiveKitReportsCompleteEndsReady() {
        // pg_cron's run only marked it: the old job failed it here, and its completion was lost
        Map<String, Object> marked = fortyMinutes.row();
        assertThat(marked.get("status"), is("finalizing"));
        assertThat(marked.get("stale_since"), is(notNullValue()));
        assertThat(EgressFixtures.announced(fortyMinutes.id()), empty());
        StaleReconcileTest.liveKitReports(fortyMinutes.egressId(), StaleReconcileTest.complete(fortyMinutes.egressId()));

        assertThat(jobs.reconcileStale(true).await().atMost(WAIT).ran(), is(true));

        Map<String, Object> ready = fortyMinutes.row();
        assertThat(ready.get("status"), is("ready"));
        assertThat(ready.get("object_key"), is("recordings/" + fortyMinutes.egressId() + ".mp4"));
        assertThat(ready.get("stale_since"), is(nullValue()));
        assertThat(EgressFixtures.announced(fortyMinutes.id()), contains("org:" + fortyMinutes.orgId() + " ready"));
    }

    @Test
    void anEgressEndedCompleteArrivingAfterAReconcileFailureEndsReady() {
        Map<String, Object> failed = pastTheHardLimit.row();
        assertThat(failed.get("status"), is("failed"));
        assertThat(failed.get("failed_by_reconciliation"), is(true));
        assertThat(EgressFixtures.announced(pastTheHardLimit.id()),
                contains("org:" + pastTheHardLimit.orgId() + " failed"));

        EgressFixtures.deliver(EgressFixtures.complete(pastTheHardLimit.egressId(), pastTheHardLimit.roomName()))
                .statusCode(200).body("outcome", is("applied"));

        Map<String, Object> ready = pastTheHardLimit.row();
        assertThat(ready.get("status"), is("ready"));
        assertThat(ready.get("error"), is(nullValue()));
        assertThat(ready.get("failed_by_reconciliation"), is(false));
        assertThat(ready.get("object_key"), is("recordings/org-3f1c/" + pastTheHardLimit.egressId() + ".mp4"));
        assertThat(EgressFixtures.announced(pastTheHardLimit.id()), contains(
                "org:" + pastTheHardLimit.orgId() + " failed", "org:" + pastTheHardLimit.orgId() + " ready"));
    }
}
