-- The webhook stored each event's payload as a JSON string holding the event (a String bound to a jsonb
-- parameter), not as the event object: nothing could be read from it in SQL. The insert now parses it; this
-- turns the rows stored so far into the objects they hold. The sync reads the Stripe timestamps of the events
-- that reported a payment failure from them.

UPDATE billing.stripe_event_inbox
SET payload = (payload #>> '{}')::jsonb
WHERE jsonb_typeof(payload) = 'string';
