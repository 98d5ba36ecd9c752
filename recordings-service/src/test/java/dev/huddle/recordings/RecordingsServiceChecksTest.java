package dev.huddle.recordings;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.BearerTokenChecks;
import dev.huddle.testing.ServiceChecks;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RecordingsServiceChecksTest extends ServiceChecks {

    @Test
    void forgedAndForeignTokensAre401OnEveryBearerRoute() {
        BearerTokenChecks.forgedAndForeignTokensAre401OnEveryBearerRoute();
    }
}
