package dev.huddle.systemtests;

import static dev.huddle.systemtests.Api.as;
import static dev.huddle.systemtests.Api.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.huddle.systemtests.WorkOsStub.User;
import dev.huddle.testing.StripeStub;

/** An org set up through the public APIs: its owner known through WorkOS, the org created, checkout started. */
public record Tenant(User owner, UUID org, StripeStub.Customer customer) {

    static final Duration WAIT = Duration.ofSeconds(30);

    /** A user WorkOS announced, once core-api's sync has read them. */
    public static User syncedUser(Stack stack, String name) {
        User user = stack.workos.createUser(name);
        stack.step("user " + user.workosId() + " reaches core-api through the WorkOS events sync", stack.core,
                () -> await("user synced", WAIT, () -> as(stack.core, user.token()).get("/v1/me").then().statusCode(200)
                        .extract().path("id") != null));
        return user;
    }

    /** A new org whose owner started checkout and whose subscription Stripe reported active: entitled. */
    public static Tenant entitled(Stack stack, String name) {
        User owner = syncedUser(stack, name + " Owner");
        UUID org = stack.step("create org " + name, stack.core, () -> UUID.fromString(as(stack.core, owner.token())
                .body(Map.of("name", name)).post("/v1/orgs").then().statusCode(201).extract().path("id")));
        return new Tenant(owner, org, entitle(stack, owner, org, name));
    }

    /** {@code org}'s owner starts checkout and Stripe reports the subscription active: the org is entitled. */
    public static StripeStub.Customer entitle(Stack stack, User owner, UUID org, String name) {
        StripeStub.Customer customer = stack.stripe.customerFor(org);
        stack.step("checkout of " + name, stack.billing, () -> {
            as(stack.billing, owner.token()).post("/v1/billing/orgs/{org}/checkout-session", org).then()
                    .statusCode(200);
            String subscription = customer.subscription("active", 1);
            Api.stripeWebhook(stack, StripeStub.event("customer.subscription.created", subscription,
                    Instant.now().minus(Duration.ofDays(1)))).statusCode(200);
            await(name + " entitled", WAIT, () -> as(stack.billing, owner.token())
                    .get("/v1/billing/orgs/{org}/subscription", org).then().extract().<Boolean> path("entitled"));
        });
        return customer;
    }
}
