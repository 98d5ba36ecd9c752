package dev.huddle.platform;

import dev.huddle.testing.AuthTestResource;
import dev.huddle.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/** The platform's own tests run a small app of test resources, as core_app, with a stubbed JWKS. */
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "core"))
@QuarkusTestResource(AuthTestResource.class)
public class TestResources {
}
