package dev.huddle.realtime;

import dev.huddle.testing.ServiceChecks;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RealtimeBridgeChecksTest extends ServiceChecks {
}
