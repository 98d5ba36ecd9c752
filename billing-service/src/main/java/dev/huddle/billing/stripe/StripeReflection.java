package dev.huddle.billing.stripe;

import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.StripeError;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.SubscriptionItemUpdateParams;
import com.stripe.param.SubscriptionListParams;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image: stripe-java reads its models from JSON and writes its request params as form fields with Gson, by
 * reflection on their fields. Registers the models and params this service uses, with their nested classes and the
 * full type hierarchy (superclasses, field types: a Subscription's items, prices, products). A new Stripe model or
 * param class in the code goes here too ({@code StripeReflectionTest} fails until it does).
 */
@RegisterForReflection(targets = {
        Customer.class, Event.class, Price.class, Product.class, StripeError.class, Subscription.class,
        SubscriptionItem.class, com.stripe.model.checkout.Session.class, com.stripe.model.billingportal.Session.class,
        CustomerCreateParams.class, SubscriptionItemUpdateParams.class, SubscriptionListParams.class,
        com.stripe.param.checkout.SessionCreateParams.class, com.stripe.param.billingportal.SessionCreateParams.class
}, registerFullHierarchy = true, ignoreNested = false)
public final class StripeReflection {

    private StripeReflection() {
    }
}
