package dev.huddle.core.presence;

/** What a LiveKit webhook did to presence. LiveKit only looks at the 2xx; the outcome helps reading logs and tests. */
public enum WebhookOutcome {
    /** A participant's state changed; the change was announced. */
    APPLIED,
    /** A leave for a participant never seen joining: stored as a tombstone, nothing announced. */
    RECORDED,
    /** A duplicate, or older than what is stored: nothing changed. */
    UNCHANGED,
    /** Not about room presence (egress, tracks...), or about a room that is not ours. */
    IGNORED
}
