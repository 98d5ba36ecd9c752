package dev.huddle.core.memberships;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.huddle.platform.paging.Cursor;
import dev.huddle.platform.tenancy.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** SQL of memberships and their history. Every statement is scoped by org. */
@ApplicationScoped
public class MembershipRepository {

    /** Serializes every membership change of one org (seat cap, last owner) without blocking FK checks. */
    private static final String LOCK_ORG = "SELECT id FROM core.organizations WHERE id = $1 FOR NO KEY UPDATE";
    private static final String CURRENT = "SELECT role, status FROM core.memberships WHERE org_id = $1 AND user_id = $2";
    private static final String COUNT_SEATS_TAKEN = """
            SELECT (SELECT count(*) FROM core.memberships WHERE org_id = $1 AND status = 'active')
                 + (SELECT count(*) FROM core.invitations WHERE org_id = $1 AND state = 'pending' AND expires_at > now())""";
    private static final String OTHER_ACTIVE_OWNERS = """
            SELECT count(*) FROM core.memberships
            WHERE org_id = $1 AND user_id <> $2 AND status = 'active' AND role = 'owner'""";
    private static final String SEAT_CAP = "SELECT seat_cap FROM billing.org_entitlements WHERE org_id = $1";
    private static final String UPSERT = """
            INSERT INTO core.memberships (org_id, user_id, role, status) VALUES ($1, $2, $3, $4)
            ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role, status = excluded.status, updated_at = now()""";
    private static final String DELETE = "DELETE FROM core.memberships WHERE org_id = $1 AND user_id = $2";
    private static final String HISTORY = """
            INSERT INTO core.membership_history (org_id, user_id, actor_user_id, source, from_role, to_role, from_status, to_status)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";
    private static final String WORKOS_LINK = "SELECT workos_membership_id FROM core.memberships WHERE org_id = $1 AND user_id = $2";
    private static final String WORKOS_STAMP = """
            UPDATE core.memberships SET workos_updated_at = $3
            WHERE org_id = $1 AND user_id = $2 AND (workos_updated_at IS NULL OR workos_updated_at < $3)""";
    private static final String FLAG_OWNER_MISSING = """
            UPDATE core.organizations SET owner_missing_since = coalesce(owner_missing_since, now()) WHERE id = $1""";
    private static final String CLEAR_OWNER_MISSING = """
            UPDATE core.organizations SET owner_missing_since = NULL WHERE id = $1 AND owner_missing_since IS NOT NULL""";
    private static final String OWNER_MISSING = "SELECT owner_missing_since IS NOT NULL AS missing FROM core.organizations WHERE id = $1";
    // over its cap when its active members outnumber the seats of its entitlement (none: unlimited)
    private static final String REFRESH_OVER_CAP = """
            UPDATE core.organizations SET over_seat_cap_since = CASE
                WHEN (SELECT seat_cap FROM billing.org_entitlements WHERE org_id = $1)
                     < (SELECT count(*) FROM core.memberships WHERE org_id = $1 AND status = 'active')
                THEN coalesce(over_seat_cap_since, now()) END
            WHERE id = $1
            RETURNING over_seat_cap_since IS NOT NULL AS over""";
    private static final String FLAGGED_OWNER_MISSING = """
            SELECT id, name, owner_missing_since AS since FROM core.organizations
            WHERE owner_missing_since IS NOT NULL ORDER BY owner_missing_since DESC, id LIMIT $1""";
    private static final String FLAGGED_OVER_CAP = """
            SELECT id, name, over_seat_cap_since AS since FROM core.organizations
            WHERE over_seat_cap_since IS NOT NULL ORDER BY over_seat_cap_since DESC, id LIMIT $1""";
    private static final String SEAT_CHANGE = "INSERT INTO billing.seat_changes (org_id, reason) VALUES ($1, $2)";

    private static final String MEMBER_COLUMNS = """
            SELECT m.user_id, u.workos_user_id, u.email, u.display_name, m.role, m.status, m.created_at, m.updated_at
            FROM core.memberships m JOIN core.users u ON u.id = m.user_id""";
    private static final String FIND = MEMBER_COLUMNS + " WHERE m.org_id = $1 AND m.user_id = $2";
    private static final String LIST = MEMBER_COLUMNS + "\n" + """
            WHERE m.org_id = $1 AND m.status = $2
              AND ($3::timestamptz IS NULL OR (m.created_at, m.user_id) < ($3, $4::uuid))
            ORDER BY m.created_at DESC, m.user_id DESC
            LIMIT $5""";
    private static final String LIST_HISTORY = """
            SELECT id, user_id, actor_user_id, source, from_role, to_role, from_status, to_status, created_at
            FROM core.membership_history
            WHERE org_id = $1 AND ($2::bigint IS NULL OR id < $2)
            ORDER BY id DESC
            LIMIT $3""";

    private static final String ORGS_OF = "SELECT org_id FROM core.memberships WHERE user_id = $1 ORDER BY org_id";
    private static final String WORKOS_UPDATED_AT = """
            SELECT workos_updated_at FROM core.memberships WHERE org_id = $1 AND user_id = $2""";
    private static final String LINK_WORKOS = """
            UPDATE core.memberships SET workos_membership_id = $3, workos_updated_at = $4
            WHERE org_id = $1 AND user_id = $2
              AND (workos_membership_id, workos_updated_at) IS DISTINCT FROM ($3, $4)""";
    private static final String LINKED = "SELECT 1 FROM core.memberships WHERE workos_membership_id = $1";
    private static final String UNLISTED = """
            SELECT m.workos_membership_id, o.workos_org_id, u.workos_user_id
            FROM core.memberships m
            JOIN core.organizations o ON o.id = m.org_id
            JOIN core.users u ON u.id = m.user_id
            WHERE o.workos_org_id = ANY($1) AND m.workos_membership_id IS NOT NULL
              AND NOT (m.workos_membership_id = ANY($2))
            ORDER BY o.workos_org_id, m.workos_membership_id""";
    private static final String TOMBSTONED = "SELECT 1 FROM core.workos_tombstones WHERE workos_id = $1";
    private static final String TOMBSTONE = """
            INSERT INTO core.workos_tombstones (workos_id, event_id) VALUES ($1, $2) ON CONFLICT (workos_id) DO NOTHING""";

    /**
     * What a membership last got from WorkOS.
     *
     * @param updatedAt WorkOS's {@code updated_at} of it; null when WorkOS never changed it
     */
    public record WorkOsStamp(OffsetDateTime updatedAt) {
    }

    /** A membership linked to WorkOS, by the WorkOS ids of itself, its org and its user. */
    public record WorkOsLinked(String workosMembershipId, String workosOrgId, String workosUserId) {
    }

    private final Pool pool;

    public MembershipRepository(Pool pool) {
        this.pool = pool;
    }

    /** @return false when the org does not exist */
    Uni<Boolean> lockOrg(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(LOCK_ORG).execute(Tuple.of(orgId)).map(rows -> rows.size() == 1);
    }

    Uni<MembershipState> current(SqlConnection tx, UUID orgId, UUID userId) {
        return tx.preparedQuery(CURRENT).execute(Tuple.of(orgId, userId)).map(rows -> {
            if (rows.size() == 0) {
                return MembershipState.NONE;
            }
            Row row = rows.iterator().next();
            return new MembershipState(Role.of(row.getString("role")), row.getString("status"));
        });
    }

    /** Active members plus pending (unexpired) invitations. */
    Uni<Long> countSeatsTaken(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(COUNT_SEATS_TAKEN).execute(Tuple.of(orgId)).map(rows -> rows.iterator().next().getLong(0));
    }

    Uni<Long> countOtherActiveOwners(SqlConnection tx, UUID orgId, UUID userId) {
        return tx.preparedQuery(OTHER_ACTIVE_OWNERS).execute(Tuple.of(orgId, userId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The org's seat cap from billing's entitlement view; null when none (unlimited). */
    Uni<Integer> seatCap(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(SEAT_CAP).execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("seat_cap"));
    }

    Uni<Void> write(SqlConnection tx, UUID orgId, UUID userId, MembershipState target) {
        if (!target.exists()) {
            return tx.preparedQuery(DELETE).execute(Tuple.of(orgId, userId)).replaceWithVoid();
        }
        return tx.preparedQuery(UPSERT).execute(Tuple.of(orgId, userId, target.roleValue(), target.status()))
                .replaceWithVoid();
    }

    Uni<Void> appendHistory(SqlConnection tx, MembershipChange change, MembershipState from, MembershipState to) {
        Tuple params = Tuple.tuple().addUUID(change.orgId()).addUUID(change.userId()).addUUID(change.actor().userId())
                .addString(change.actor().source()).addString(from.roleValue()).addString(to.roleValue())
                .addString(from.status()).addString(to.status());
        return tx.preparedQuery(HISTORY).execute(params).replaceWithVoid();
    }

    /** The membership's WorkOS id ({@code om_...}); null when WorkOS does not manage it (or there is none). */
    Uni<String> workosLink(SqlConnection tx, UUID orgId, UUID userId) {
        return tx.preparedQuery(WORKOS_LINK).execute(Tuple.of(orgId, userId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("workos_membership_id"));
    }

    /** Records WorkOS's {@code updated_at} of the membership as we last changed it there (never backwards). */
    Uni<Void> stampWorkos(SqlConnection tx, UUID orgId, UUID userId, OffsetDateTime workosUpdatedAt) {
        return tx.preparedQuery(WORKOS_STAMP).execute(Tuple.of(orgId, userId, workosUpdatedAt)).replaceWithVoid();
    }

    /** Flags the org as having no active owner (kept since the first time). */
    Uni<Void> flagOwnerMissing(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(FLAG_OWNER_MISSING).execute(Tuple.of(orgId)).replaceWithVoid();
    }

    Uni<Void> clearOwnerMissing(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(CLEAR_OWNER_MISSING).execute(Tuple.of(orgId)).replaceWithVoid();
    }

    /** Whether the org is flagged as having no active owner. */
    public Uni<Boolean> ownerMissing(UUID orgId) {
        return pool.preparedQuery(OWNER_MISSING).execute(Tuple.of(orgId))
                .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean("missing"));
    }

    /** Sets or clears the org's over-cap flag from its active members and seats now; whether it is over. */
    Uni<Boolean> refreshOverCap(SqlConnection tx, UUID orgId) {
        return tx.preparedQuery(REFRESH_OVER_CAP).execute(Tuple.of(orgId))
                .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean("over"));
    }

    /** Orgs without an active owner, newest flag first. */
    public Uni<List<FlaggedOrg>> ownerMissing(int limit) {
        return flagged(FLAGGED_OWNER_MISSING, limit);
    }

    /** Orgs with more active members than seats, newest flag first. */
    public Uni<List<FlaggedOrg>> overSeatCap(int limit) {
        return flagged(FLAGGED_OVER_CAP, limit);
    }

    private Uni<List<FlaggedOrg>> flagged(String sql, int limit) {
        return pool.preparedQuery(sql).execute(Tuple.of(limit)).map(rows -> {
            List<FlaggedOrg> list = new ArrayList<>(rows.size());
            rows.forEach(row -> list.add(new FlaggedOrg(row.getUUID("id"), row.getString("name"),
                    row.getOffsetDateTime("since"))));
            return list;
        });
    }

    Uni<Void> enqueueSeatChange(SqlConnection tx, UUID orgId, String reason) {
        return tx.preparedQuery(SEAT_CHANGE).execute(Tuple.of(orgId, reason)).replaceWithVoid();
    }

    public Uni<Member> find(SqlClient client, UUID orgId, UUID userId) {
        return client.preparedQuery(FIND).execute(Tuple.of(orgId, userId))
                .map(rows -> rows.size() == 0 ? null : toMember(rows.iterator().next()));
    }

    public Uni<Member> find(UUID orgId, UUID userId) {
        return find(pool, orgId, userId);
    }

    public Uni<List<Member>> list(UUID orgId, String status, Cursor after, int fetch) {
        OffsetDateTime at = after == null ? null : after.createdAt();
        UUID id = after == null ? null : after.id();
        return pool.preparedQuery(LIST).execute(Tuple.of(orgId, status, at, id, fetch)).map(rows -> {
            List<Member> members = new ArrayList<>(rows.size());
            rows.forEach(row -> members.add(toMember(row)));
            return members;
        });
    }

    public Uni<List<HistoryEntry>> history(UUID orgId, Long beforeId, int fetch) {
        return pool.preparedQuery(LIST_HISTORY).execute(Tuple.of(orgId, beforeId, fetch)).map(rows -> {
            List<HistoryEntry> entries = new ArrayList<>(rows.size());
            rows.forEach(row -> entries.add(new HistoryEntry(row.getLong("id"), row.getUUID("user_id"),
                    row.getUUID("actor_user_id"), row.getString("source"), row.getString("from_role"),
                    row.getString("to_role"), row.getString("from_status"), row.getString("to_status"),
                    row.getOffsetDateTime("created_at"))));
            return entries;
        });
    }

    /** The orgs the user has a membership of (any status), in id order. */
    public Uni<List<UUID>> orgsOf(SqlConnection tx, UUID userId) {
        return tx.preparedQuery(ORGS_OF).execute(Tuple.of(userId)).map(rows -> {
            List<UUID> orgIds = new ArrayList<>(rows.size());
            rows.forEach(row -> orgIds.add(row.getUUID("org_id")));
            return orgIds;
        });
    }

    /** What the membership last got from WorkOS; null when there is no membership. */
    public Uni<WorkOsStamp> workosStamp(SqlConnection tx, UUID orgId, UUID userId) {
        return tx.preparedQuery(WORKOS_UPDATED_AT).execute(Tuple.of(orgId, userId)).map(rows -> rows.size() == 0 ? null
                : new WorkOsStamp(rows.iterator().next().getOffsetDateTime("workos_updated_at")));
    }

    /** Links the membership to its WorkOS membership {@code workosMembershipId}, stamped with WorkOS's time. */
    public Uni<Void> linkWorkos(SqlConnection tx, UUID orgId, UUID userId, String workosMembershipId,
            OffsetDateTime workosUpdatedAt) {
        return tx.preparedQuery(LINK_WORKOS).execute(Tuple.of(orgId, userId, workosMembershipId, workosUpdatedAt))
                .replaceWithVoid();
    }

    /** Whether a membership is linked to WorkOS membership {@code workosMembershipId}. */
    public Uni<Boolean> linked(SqlConnection tx, String workosMembershipId) {
        return tx.preparedQuery(LINKED).execute(Tuple.of(workosMembershipId)).map(rows -> rows.size() > 0);
    }

    /**
     * The memberships of the WorkOS organizations {@code workosOrgIds} linked to a WorkOS membership not among
     * {@code listedIds}, by org and membership id.
     */
    public Uni<List<WorkOsLinked>> linkedExcept(Collection<String> workosOrgIds, Collection<String> listedIds) {
        return pool.preparedQuery(UNLISTED)
                .execute(Tuple.of(workosOrgIds.toArray(new String[0]), listedIds.toArray(new String[0])))
                .map(rows -> {
                    List<WorkOsLinked> linked = new ArrayList<>(rows.size());
                    rows.forEach(row -> linked.add(new WorkOsLinked(row.getString("workos_membership_id"),
                            row.getString("workos_org_id"), row.getString("workos_user_id"))));
                    return linked;
                });
    }

    /**
     * Records WorkOS id {@code workosId} (a membership's {@code om_...} or a user's {@code user_...}) as deleted in
     * {@code core.workos_tombstones}: when its deleted event is applied, when a reconciliation removes a membership
     * WorkOS no longer lists, and when our API removes a membership in WorkOS. WorkOS never reuses an id, so a created
     * or updated event of a tombstoned id is old data (a replay, or the stream catching up) and is ignored instead of
     * bringing the row back.
     *
     * @param by what deleted it: the WorkOS event id (or a reconciliation's {@code reconcile:...}), or
     *        {@code api:<user id>} for a removal through our API
     * @return true when it was not recorded before
     */
    public Uni<Boolean> tombstone(SqlConnection tx, String workosId, String by) {
        return tx.preparedQuery(TOMBSTONE).execute(Tuple.of(workosId, by)).map(rows -> rows.rowCount() > 0);
    }

    /** Whether WorkOS id {@code workosId} is recorded as deleted ({@link #tombstone}). */
    public Uni<Boolean> tombstoned(SqlConnection tx, String workosId) {
        return tx.preparedQuery(TOMBSTONED).execute(Tuple.of(workosId)).map(rows -> rows.size() > 0);
    }

    static Member toMember(Row row) {
        return new Member(row.getUUID("user_id"), row.getString("workos_user_id"), row.getString("email"),
                row.getString("display_name"), row.getString("role"), row.getString("status"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
    }
}
