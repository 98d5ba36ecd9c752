-- WorkOS rate-limits per API key, not per replica: when a read of WorkOS fails (a 429 with its Retry-After, a 5xx,
-- no answer), the wait it calls for is kept here, so no replica of core-api reads WorkOS before not_before. One row
-- per event stream while its reads are failing; the first read that succeeds deletes it.
CREATE TABLE core.workos_sync_backoff (
    stream     text        PRIMARY KEY CHECK (char_length(stream) BETWEEN 1 AND 100),
    -- failed reads in a row: the exponential backoff's exponent when WorkOS gives no Retry-After
    failures   integer     NOT NULL CHECK (failures >= 1),
    not_before timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
