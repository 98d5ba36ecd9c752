package dev.huddle.recordings;

import dev.huddle.recordings.storage.S3TestResource;
import dev.huddle.testing.AuthTestResource;
import dev.huddle.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * Every test of recordings-service runs on a fresh migrated database as recordings_app, with a stubbed WorkOS JWKS
 * and an in-process S3-compatible storage (S3Proxy).
 */
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "recordings"))
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(S3TestResource.class)
public class TestResources {
}
