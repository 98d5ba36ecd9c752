package dev.huddle.core;

import dev.huddle.testing.AuthTestResource;
import dev.huddle.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** Every test of core-api runs on a fresh migrated database as core_app, with a stubbed WorkOS JWKS. */
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "core"))
@QuarkusTestResource(AuthTestResource.class)
public class TestResources {
}
