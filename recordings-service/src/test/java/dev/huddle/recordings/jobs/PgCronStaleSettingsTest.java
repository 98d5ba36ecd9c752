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

import org.junit.jupiter.api.Test;

import dev.huddle.recordings.egress.EgressFixtures;
import dev.huddle.recordings.jobs.PgCronStaleReconcileTest.Finalizing;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * #13: RECORDINGS_STALE_AFTER and RECORDINGS_GIVE_UP_AFTER change what the pg_cron job does. With 2 and 3 hours
 * (instead of 30 minutes and 24 hours), the migrations' job command, run by pg_cron in this test's database, leaves a
 * recording finalizing for 40 minutes alone, marks one finalizing for 150 minutes and fails one finalizing for 4
 * hours; with the defaults it would have marked all three ({@link PgCronStaleReconcileTest}).
 */
@QuarkusTest
@TestProfile(PgCronStaleSettingsTest.LongerLimits.class)
class PgCronStaleSettingsTest {

    public static class LongerLimits implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("huddle.recordings.jobs.stale-after", "2H", "huddle.recordings.jobs.give-up-after", "3H");
        }
    }

    @Test
    void theSettingsChangeWhatThePgCronJobDoes() throws Exception {
        assertThat(TestDatabase.value("""
                SELECT stale_after = interval '2 hours' AND give_up_after = interval '3 hours'
                FROM recordings.job_settings"""), is(true));
        Finalizing fortyMinutes = Finalizing.since(Duration.ofMinutes(40));
        Finalizing twoHoursAndAHalf = Finalizing.since(Duration.ofMinutes(150));
        Finalizing fourHours = Finalizing.since(Duration.ofHours(4));
        String command = PgCron.scheduledByTheMigrations().get("reconcile-stale-recordings").command();

        assertThat(PgCron.runOnce(TestDatabase.current().admin().database(), command), startsWith("succeeded"));

        assertThat(fortyMinutes.row().get("status"), is("finalizing"));
        assertThat(fortyMinutes.row().get("stale_since"), is(nullValue()));
        assertThat(twoHoursAndAHalf.row().get("status"), is("finalizing"));
        assertThat(twoHoursAndAHalf.row().get("stale_since"), is(notNullValue()));
        assertThat(EgressFixtures.announced(twoHoursAndAHalf.id()), empty());
        Map<String, Object> failed = fourHours.row();
        assertThat(failed.get("status"), is("failed"));
        assertThat(failed.get("failed_by_reconciliation"), is(true));
        assertThat((String) failed.get("error"), startsWith("no egress_ended from LiveKit within 03:00:00"));
        assertThat(EgressFixtures.announced(fourHours.id()), contains("org:" + fourHours.orgId() + " failed"));
    }
}
