package dev.huddle.billing.config;

import java.time.Duration;
import java.util.Optional;

import dev.huddle.platform.retry.Backoff;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Billing's own settings: the plan, the webhook inbox, seats. Every property is in the README. */
@ConfigMapping(prefix = "huddle.billing")
public interface BillingConfig {

    /** The Stripe price every checkout subscribes to ({@code price_...}). Environment: {@code STRIPE_PRICE_ID}. */
    Optional<String> priceId();

    /** How long a past_due (or unpaid) subscription keeps entitling the org after its first failed payment. */
    @WithDefault("P7D")
    Duration gracePeriod();

    Webhook webhook();

    Inbox inbox();

    Seats seats();

    Urls urls();

    /** The backoff of a worker that retries Stripe calls (the inbox, seats). */
    interface Retrying {

        /** The wait after the first failure; doubled on every further failure. */
        @WithDefault("PT10S")
        Duration backoffBase();

        /** The longest wait. */
        @WithDefault("PT1H")
        Duration backoffMax();

        /** {@link Backoff} from these, taking up to a fifth off each wait at random. */
        default Backoff backoff() {
            return Backoff.exponential(backoffBase(), backoffMax()).withJitter(0.2);
        }
    }

    interface Webhook {

        /** Largest accepted webhook body in bytes; larger ones get 413. */
        @WithDefault("262144")
        int maxBodyBytes();

        /** How old a signature's timestamp may be. */
        @WithDefault("PT300S")
        Duration tolerance();
    }

    interface Inbox extends Retrying {

        /** How often the inbox worker looks for due events. */
        @WithDefault("5s")
        String pollInterval();

        /** Events claimed per round. */
        @WithDefault("50")
        int batchSize();

        /**
         * Customers of one batch synced at a time (each sync holds a database connection and calls Stripe 2-3 times in
         * a row): keep it below the pool's {@code DB_POOL_MAX_SIZE}, and its Stripe calls under the account's rate
         * limit (live mode: 100 reads/s).
         */
        @WithDefault("4")
        int syncConcurrency();

        /** Failed attempts after which an event is dead. */
        @WithDefault("8")
        int maxAttempts();

        /** How long a claim lasts; a worker that dies mid-event gives it back after this. */
        @WithDefault("PT5M")
        Duration lease();

        /** How long done and ignored events are kept. */
        @WithDefault("P30D")
        Duration retention();

        /** When finished events past the retention are pruned (Quartz cron). */
        @WithDefault("0 15 4 * * ?")
        String pruneCron();
    }

    interface Seats extends Retrying {

        /** How often the seat worker looks for membership changes. */
        @WithDefault("5s")
        String pollInterval();

        /** Proration when the quantity goes up: create_prorations, always_invoice or none. */
        @WithDefault("create_prorations")
        String prorationUp();

        /** Proration when the quantity goes down. */
        @WithDefault("none")
        String prorationDown();

        /**
         * Refusals by Stripe in a row (400, 402 or 404 to a quantity update) after which an org's seat sync is dead:
         * the worker stops trying and operators see it. Other failures back off but never die.
         */
        @WithDefault("8")
        int maxAttempts();

        /** When every subscribed org's Stripe quantity is compared with its members and repaired (Quartz cron). */
        @WithDefault("0 30 3 * * ?")
        String reconcileCron();
    }

    interface Urls {

        /** Where Stripe Checkout sends the browser after paying. */
        @WithDefault("http://localhost:3000/billing?checkout=success")
        String checkoutSuccess();

        /** Where Stripe Checkout sends the browser when the buyer cancels. */
        @WithDefault("http://localhost:3000/billing?checkout=cancel")
        String checkoutCancel();

        /** Where the billing portal sends the browser back. */
        @WithDefault("http://localhost:3000/billing")
        String portalReturn();
    }
}
