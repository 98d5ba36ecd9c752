package dev.huddle.core;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.BearerTokenChecks;
import dev.huddle.testing.ServiceChecks;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CoreApiChecksTest extends ServiceChecks {

    @Override
    protected Set<String> domainMeters() {
        return Set.of("core.workos.sync.lag", "core.workos.sync.reconciliations");
    }

    @Test
    void forgedAndForeignTokensAre401OnEveryBearerRoute() {
        BearerTokenChecks.forgedAndForeignTokensAre401OnEveryBearerRoute();
    }
}
