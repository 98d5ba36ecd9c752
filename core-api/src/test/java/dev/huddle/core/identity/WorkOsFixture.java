package dev.huddle.core.identity;

import static dev.huddle.core.identity.WorkOsWire.count;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.huddle.testing.TestDatabase;
import dev.huddle.testing.TestTokens;
import io.vertx.core.json.JsonObject;

/**
 * WorkOS as the membership and invitation tests meet it: the stub reset, the sync's cursor and backoff cleared, then
 * org {@code A} created in WorkOS with its users and their memberships (numbered from 1), served by its Events API
 * and applied here by the sync. What WorkOS sends later is served after what it sent before.
 */
public final class WorkOsFixture {

    public final WorkOsWire wire = new WorkOsWire();
    /** What WorkOS has sent so far, oldest first. */
    public final List<JsonObject> events = new ArrayList<>();
    /** Our id of org {@code A}. */
    public final UUID org;
    private final WorkOsEventSync sync;

    private WorkOsFixture(WorkOsEventSync sync, String name, Instant at, String[]... members) {
        this.sync = sync;
        fresh(sync);
        WorkOsEventSync.Result result = sends(wire.orgWithMembers("A", name, at, members));
        assertEquals(1 + 2 * members.length, result.applied(), result.toString());
        org = wire.ourOrg("A");
    }

    /**
     * Org {@code A} named {@code name}, created in WorkOS and synced here, with user n and their membership
     * {@code members[n-1]} = {role slug, status}, everything as of {@code at}.
     */
    public static WorkOsFixture orgWithMembers(WorkOsEventSync sync, String name, Instant at, String[]... members) {
        return new WorkOsFixture(sync, name, at, members);
    }

    /** WorkOS sends these events too: served after the earlier ones; the sync reads them. */
    public WorkOsEventSync.Result sends(List<JsonObject> sent) {
        events.addAll(sent);
        WorkOsWire.serveEvents(events);
        return sync();
    }

    /** One run of the sync. */
    public WorkOsEventSync.Result sync() {
        return run(sync);
    }

    /** WorkOS as new to {@code sync}: its stub forgets every stub and request, no cursor, no backoff. */
    public static void fresh(WorkOsEventSync sync) {
        WorkOsTestResource.server().resetAll();
        TestDatabase.sql("DELETE FROM core.workos_sync_cursor");
        sync.resetBackoff().await().indefinitely();
    }

    /** One run of {@code sync}, waited for. */
    public static WorkOsEventSync.Result run(WorkOsEventSync sync) {
        return sync.run().await().atMost(Duration.ofSeconds(60));
    }

    /** An access token of user n. */
    public String token(int n) {
        return TestTokens.forUser(wire.userId(n));
    }

    /** Rows of user n in the org's membership history. */
    public long history(int n) {
        return count("SELECT count(*) FROM core.membership_history WHERE org_id = ? AND user_id = ?", org, wire.ourUser(n));
    }

    /** Seat changes of the org queued for billing. */
    public long seats() {
        return count("SELECT count(*) FROM billing.seat_changes WHERE org_id = ?", org);
    }

    /** Events of the org's channel in the outbox. */
    public long outbox() {
        return count("SELECT count(*) FROM realtime.outbox WHERE channel = ?", "org:" + org);
    }
}
