package dev.huddle.realtime;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.BearerTokenChecks;
import dev.huddle.testing.ServiceChecks;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RealtimeBridgeChecksTest extends ServiceChecks {

    @Override
    protected Set<String> domainMeters() {
        return Set.of("realtime.outbox.depth", "realtime.outbox.oldest.age.seconds", "realtime.outbox.publish.latency",
                "realtime.outbox.failures", "realtime.outbox.dead");
    }

    @Test
    void forgedAndForeignTokensAre401OnEveryBearerRoute() {
        BearerTokenChecks.forgedAndForeignTokensAre401OnEveryBearerRoute();
    }
}
