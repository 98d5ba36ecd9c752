package dev.huddle.core.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.core.memberships.MembershipRepository;
import dev.huddle.core.workos.WorkOs;
import dev.huddle.core.workos.WorkOsApi;
import dev.huddle.core.workos.WorkOsApiException;
import dev.huddle.core.workos.WorkOsList;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * A full reconciliation with WorkOS through its list endpoints, for when the event cursor is lost (older than WorkOS
 * keeps events, or refused by it), or there is none yet. In order:
 * <ol>
 * <li>Note the start time and ask the Events API for its newest event (of the types the sync reads).</li>
 * <li>{@code GET /organizations}: each is applied as an {@code organization.updated} event would be (created when
 * new, renamed when changed).</li>
 * <li>{@code GET /user_management/users}: each applied as {@code user.updated}.</li>
 * <li>For each listed organization, {@code GET /user_management/organization_memberships} with every status: each
 * applied as {@code organization_membership.updated}, through the membership write path.</li>
 * <li>Memberships of a listed organization that carry a WorkOS membership id WorkOS no longer lists are removed
 * through the write path, as {@code organization_membership.deleted} would (and tombstoned).</li>
 * <li>The cursor restarts after that newest event (or, when there was none, at the oldest event WorkOS keeps), and
 * counts as fresh as of the start time.</li>
 * </ol>
 * Nothing is lost between the reconciliation and the events that follow: every event up to that newest one
 * happened before the lists were read, so the lists show its effect; every later one is read next, from the
 * cursor. Those later events may repeat what the lists showed; applying is idempotent and ignores older data
 * ({@code updated_at}), and a removed membership's tombstone stops a replayed create.
 * <p>
 * Left alone, on purpose: memberships WorkOS never knew (created through our API, no WorkOS membership id);
 * organizations WorkOS no longer lists, and their memberships (the {@code organization.deleted} policy: the data is
 * the customer's); users WorkOS no longer lists: their memberships in listed organizations go (step 5), the user row
 * stays (deleting users stays with the {@code user.deleted} event, never inferred from a list: a list read with
 * the wrong environment's key must not delete anyone).
 * <p>
 * Each object is applied in its own transaction under the same poison policy as events ({@link WorkOsEventHandler}):
 * a failing one stops the reconciliation, which reruns from the start on a later run (what was applied stays and is
 * not applied twice); after {@code poison-after} failures it is skipped. A failed read of WorkOS stops it too. Only
 * a completed reconciliation moves the cursor, and removals only happen once every list was read to its end. The
 * listed organization and membership ids are held in memory while it runs.
 */
@ApplicationScoped
public class WorkOsReconciler {

    private static final Logger LOG = Logger.getLogger(WorkOsReconciler.class);

    /**
     * What a reconciliation did.
     *
     * @param completed whether it ran to its end (and restarted the cursor)
     * @param applied objects applied (including those that changed nothing) and memberships removed
     * @param poisoned objects skipped as poison
     * @param removed memberships removed because WorkOS no longer lists them
     * @param failedId the object that failed and stopped it ({@code reconcile:<WorkOS id>}), if one did
     */
    public record Summary(boolean completed, int applied, int poisoned, int removed, String failedId) {
    }

    /** Stops the walk when an object failed (it is retried by a later run). */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private static final class Run {
        final Set<String> orgs = new LinkedHashSet<>();
        final Set<String> memberships = new HashSet<>();
        int applied;
        int poisoned;
        int removed;
        String failedId;

        Summary summary(boolean completed) {
            return new Summary(completed, applied, poisoned, removed, failedId);
        }
    }

    private final WorkOs workOs;
    private final WorkOsSyncConfig config;
    private final WorkOsEventHandler handler;
    private final WorkOsSyncRepository repository;
    private final WorkOsSyncMetrics metrics;
    private final MembershipRepository memberships;

    public WorkOsReconciler(WorkOs workOs, WorkOsSyncConfig config, WorkOsEventHandler handler,
            WorkOsSyncRepository repository, WorkOsSyncMetrics metrics, MembershipRepository memberships) {
        this.workOs = workOs;
        this.config = config;
        this.handler = handler;
        this.repository = repository;
        this.metrics = metrics;
        this.memberships = memberships;
    }

    /**
     * Reconciles everything and restarts {@code stream}'s cursor. A failed read of WorkOS fails the returned
     * {@code Uni} with a {@link WorkOsApiException}; a failed object ends it with {@code completed = false}.
     */
    public Uni<Summary> reconcile(String stream, String reason) {
        Instant start = Instant.now();
        Run run = new Run();
        LOG.infof("WorkOS sync: full reconciliation through the list endpoints (%s)", reason);
        Uni<WorkOsEvent> newest = WorkOsEventSync.read(workOs, null, 1, "desc", config.timeout())
                .map(events -> events.isEmpty() ? null : events.get(0));
        return newest.chain(latest -> walk(null, list("GET /organizations", WorkOsApi::organizations), org -> {
            String id = required(org, "id");
            run.orgs.add(id);
            return WorkOsEvent.synthetic("reconcile:" + id, "organization.updated", org);
        }, run)
                .chain(() -> walk(null, list("GET /user_management/users", WorkOsApi::users),
                        user -> WorkOsEvent.synthetic("reconcile:" + required(user, "id"), "user.updated", user), run))
                .chain(() -> memberships(new ArrayList<>(run.orgs), 0, run))
                .chain(() -> removeUnlisted(run))
                .chain(() -> repository.restart(stream, latest == null ? null : latest.id(),
                        latest == null ? null : latest.createdAt(), start)))
                .map(done -> {
                    metrics.reconciliation(true);
                    metrics.syncedThrough(start);
                    LOG.infof("WorkOS sync: reconciliation done: %d organizations, %d objects applied, %d memberships "
                            + "removed, %d skipped as poison; events are read on from now", run.orgs.size(), run.applied,
                            run.removed, run.poisoned);
                    return run.summary(true);
                })
                .onFailure(Stopped.class).recoverWithItem(e -> {
                    metrics.reconciliation(false);
                    LOG.infof("WorkOS sync: reconciliation stopped at %s; it starts again next run", run.failedId);
                    return run.summary(false);
                })
                .onFailure().invoke(e -> metrics.reconciliation(false));
    }

    /** A WorkOS list for {@link #walk}: {@code request} asks for the page after a cursor, with the sync's timeout. */
    private Function<String, Uni<WorkOsList<Map<String, Object>>>> list(String what,
            BiFunction<WorkOsApi, String, Uni<WorkOsList<Map<String, Object>>>> request) {
        return after -> workOs.call(what, config.timeout(), api -> request.apply(api, after));
    }

    /** Reads a list to its end, page by page, applying each item as the event {@code toEvent} makes of it. */
    private Uni<Void> walk(String after, Function<String, Uni<WorkOsList<Map<String, Object>>>> list,
            Function<JsonObject, WorkOsEvent> toEvent, Run run) {
        return list.apply(after).chain(page -> {
            List<Map<String, Object>> items = page.items("a WorkOS list");
            List<WorkOsEvent> batch = new ArrayList<>(items.size());
            for (Map<String, Object> item : items) {
                batch.add(toEvent.apply(new JsonObject(item)));
            }
            return apply(batch, 0, run).chain(() -> {
                if (page.after() == null || items.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                if (page.after().equals(after)) {
                    return Uni.createFrom().failure(new WorkOsApiException(
                            "a WorkOS list answered the same cursor again: " + after));
                }
                return walk(page.after(), list, toEvent, run);
            });
        });
    }

    private Uni<Void> memberships(List<String> orgs, int index, Run run) {
        if (index >= orgs.size()) {
            return Uni.createFrom().voidItem();
        }
        String org = orgs.get(index);
        return walk(null, list("GET /user_management/organization_memberships",
                (api, after) -> api.memberships(org, after)), membership -> {
                    String id = required(membership, "id");
                    run.memberships.add(id);
                    return WorkOsEvent.synthetic("reconcile:" + id, "organization_membership.updated", membership);
                }, run).chain(() -> memberships(orgs, index + 1, run));
    }

    private Uni<Void> removeUnlisted(Run run) {
        return memberships.linkedExcept(run.orgs, run.memberships)
                .chain(unlisted -> {
                    List<WorkOsEvent> removals = new ArrayList<>(unlisted.size());
                    unlisted.forEach(membership -> {
                        String id = membership.workosMembershipId();
                        JsonObject data = new JsonObject().put("object", "organization_membership").put("id", id)
                                .put("organization_id", membership.workosOrgId())
                                .put("user_id", membership.workosUserId());
                        removals.add(WorkOsEvent.synthetic("reconcile:" + id + ":removed",
                                "organization_membership.deleted", data));
                    });
                    if (!removals.isEmpty()) {
                        LOG.infof("WorkOS sync: %d memberships are no longer in WorkOS and are removed", removals.size());
                    }
                    int before = run.applied;
                    return apply(removals, 0, run).invoke(() -> run.removed = run.applied - before);
                });
    }

    private Uni<Void> apply(List<WorkOsEvent> batch, int index, Run run) {
        if (index >= batch.size()) {
            return Uni.createFrom().voidItem();
        }
        WorkOsEvent event = batch.get(index);
        return handler.handle(event, null).chain(outcome -> {
            switch (outcome) {
                case APPLIED -> run.applied++;
                case POISONED -> run.poisoned++;
                case FAILED -> {
                    run.failedId = event.id();
                    return Uni.createFrom().failure(new Stopped());
                }
            }
            return apply(batch, index + 1, run);
        });
    }

    private static String required(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof String s) || s.isBlank()) {
            throw new WorkOsApiException("a WorkOS list answered an object without " + field + ": " + json.encode());
        }
        return s;
    }
}
