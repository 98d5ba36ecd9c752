package dev.huddle.recordings.egress;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import dev.huddle.recordings.WithoutOutsideServices;
import dev.huddle.testing.Tenants;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(WithoutOutsideServices.class)
class EgressWebhookNotConfiguredTest {

    @Test
    void withoutLiveKitsKeyAndSecretWebhooksAre503AndWriteNothing() {
        String roomName = Tenants.roomName(Tenants.room(Tenants.org("Unconfigured"), "R"));
        String egress = EgressFixtures.egressId();
        EgressFixtures.deliver(EgressFixtures.started(egress, roomName)).statusCode(503)
                .contentType("application/problem+json").body("type", containsString("not-configured"));
        assertThat(EgressFixtures.recording(egress), nullValue());
    }
}
