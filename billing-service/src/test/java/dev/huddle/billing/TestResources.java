package dev.huddle.billing;

import dev.huddle.testing.AuthTestResource;
import dev.huddle.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * Every test of billing-service runs on a fresh migrated database as billing_app, with a stubbed WorkOS JWKS
 * and a stubbed Stripe API ({@link StripeTestResource}).
 */
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "schema", value = "billing"))
@QuarkusTestResource(AuthTestResource.class)
@QuarkusTestResource(StripeTestResource.class)
public class TestResources {
}
