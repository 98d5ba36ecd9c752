package dev.huddle.billing;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.huddle.testing.BearerTokenChecks;
import dev.huddle.testing.ServiceChecks;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class BillingServiceChecksTest extends ServiceChecks {

    @Override
    protected Set<String> domainMeters() {
        return Set.of("billing.inbox.depth", "billing.inbox.dead", "billing.inbox.oldest.age.seconds", "billing.inbox.rounds");
    }

    @Test
    void forgedAndForeignTokensAre401OnEveryBearerRoute() {
        BearerTokenChecks.forgedAndForeignTokensAre401OnEveryBearerRoute();
    }
}
