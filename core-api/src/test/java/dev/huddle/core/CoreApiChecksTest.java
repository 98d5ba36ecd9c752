package dev.huddle.core;

import dev.huddle.testing.ServiceChecks;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CoreApiChecksTest extends ServiceChecks {
}
