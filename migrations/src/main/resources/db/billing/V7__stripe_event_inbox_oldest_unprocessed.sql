-- The age of the oldest unprocessed Stripe event (billing.inbox.oldest.age.seconds, the StripeInboxOldEvent
-- alert) is read after every inbox worker round: min(received_at) over the pending and processing rows. This
-- partial index holds only those rows, in arrival order, so the read is one index entry whatever the backlog
-- and however many finished rows the retention keeps.

CREATE INDEX stripe_event_inbox_unprocessed_received_idx ON billing.stripe_event_inbox (received_at)
    WHERE status IN ('pending', 'processing');
