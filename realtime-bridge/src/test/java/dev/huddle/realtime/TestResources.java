package dev.huddle.realtime;

import dev.huddle.testing.AuthTestResource;
import dev.huddle.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * Every test of realtime-bridge runs on a fresh migrated database as realtime_app, with a stubbed WorkOS JWKS and a
 * stubbed Centrifugo server API.
 */
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "realtime"))
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(CentrifugoTestResource.class)
public class TestResources {
}
