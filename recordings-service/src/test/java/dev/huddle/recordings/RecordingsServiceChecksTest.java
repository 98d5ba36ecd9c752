package dev.huddle.recordings;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.BearerTokenChecks;
import dev.huddle.testing.ServiceChecks;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RecordingsServiceChecksTest extends ServiceChecks {

    @Override
    protected Set<String> domainMeters() {
        return Set.of("recordings.storage.deletions.depth", "recordings.storage.deletions.oldest.seconds",
                "recordings.storage.deletions.deleted", "recordings.storage.deletions.failures");
    }

    @Test
    void forgedAndForeignTokensAre401OnEveryBearerRoute() {
        BearerTokenChecks.forgedAndForeignTokensAre401OnEveryBearerRoute();
    }
}
