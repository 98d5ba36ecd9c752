package dev.huddle.recordings;

import dev.huddle.testing.ServiceChecks;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RecordingsServiceChecksTest extends ServiceChecks {
}
