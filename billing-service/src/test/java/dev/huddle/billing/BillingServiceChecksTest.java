package dev.huddle.billing;

import dev.huddle.testing.ServiceChecks;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class BillingServiceChecksTest extends ServiceChecks {
}
