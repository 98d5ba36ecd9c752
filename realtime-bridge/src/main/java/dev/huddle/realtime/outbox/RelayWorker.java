package dev.huddle.realtime.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import dev.huddle.platform.outbox.Channels;
import dev.huddle.platform.retry.Backoff;
import dev.huddle.realtime.channels.ChannelAccess;
import dev.huddle.realtime.client.CentrifugoClient;
import dev.huddle.realtime.client.CentrifugoClient.Command;
import dev.huddle.realtime.client.CentrifugoClient.Outcome;
import dev.huddle.realtime.config.RealtimeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One pass of the relay, in one transaction: lock the channels whose head is due (advisory transaction locks, so
 * any number of replicas can run passes at once without two relaying the same channel), claim their pending rows
 * in id order, publish them through Centrifugo's batch API and record the outcomes. The transaction is held
 * while publishing: a replica that dies mid-pass rolls back, its rows stay pending and the next pass republishes
 * them with the same idempotency keys. For the same reason the pass's commit does not wait for the disk. Before
 * publishing, a pass makes one round trip: the locks and the claim are one statement
 * ({@link OutboxRepository#claimDue}).
 * <p>
 * Rows go out in rounds, each round carrying at most one row per channel (the channel's next row), so a failure
 * can never let a later row of its channel overtake it. A retryable failure sets the row's next attempt
 * (exponential backoff) and ends its channel's turn; the head then blocks the channel until it is due. A permanent
 * failure marks the row dead and the channel goes on.
 */
public class RelayWorker {

    private static final Logger LOG = Logger.getLogger(RelayWorker.class);

    /** Member event types after which the user loses the org's channels when their status is not active. */
    private static final List<String> MEMBER_TYPES = List.of("member.removed", "member.updated");

    private final Pool pool;
    private final OutboxRepository repository;
    private final CentrifugoClient centrifugo;
    private final OutboxMetrics metrics;
    private final RealtimeConfig.Relay config;

    public RelayWorker(Pool pool, OutboxRepository repository, CentrifugoClient centrifugo, OutboxMetrics metrics,
            RealtimeConfig.Relay config) {
        this.pool = pool;
        this.repository = repository;
        this.centrifugo = centrifugo;
        this.metrics = metrics;
        this.config = config;
    }

    /** Relays what is due; answers how many rows reached a final state (published or dead). */
    public Uni<Integer> relayOnce() {
        return pool.withTransaction(tx -> repository.claimDue(tx, config.maxChannels(), config.batchSize())
                .chain(rows -> deliver(tx, rows)));
    }

    private Uni<Integer> deliver(SqlConnection tx, List<OutboxRow> rows) {
        Map<String, List<OutboxRow>> byChannel = new LinkedHashMap<>();
        for (OutboxRow row : rows) {
            byChannel.computeIfAbsent(row.channel(), c -> new ArrayList<>()).add(row);
        }
        // a head retried by another replica since the channel was picked is not due: leave the channel alone
        byChannel.values().removeIf(list -> !list.get(0).due());
        if (byChannel.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Long> published = new ArrayList<>();
        return round(tx, byChannel, 0, 0, published)
                .call(() -> repository.published(tx, published));
    }

    /**
     * One round: the next row of every channel still going, in one batch call. Published ids are collected in
     * {@code published} and marked in one statement when the pass ends (same transaction, so no earlier).
     */
    private Uni<Integer> round(SqlConnection tx, Map<String, List<OutboxRow>> byChannel, int position, int done,
            List<Long> published) {
        List<OutboxRow> batch = new ArrayList<>();
        for (List<OutboxRow> list : byChannel.values()) {
            if (position < list.size()) {
                batch.add(list.get(position));
            }
        }
        if (batch.isEmpty()) {
            return Uni.createFrom().item(done);
        }
        return repository.roomsOf(tx, orgsLosingMembers(batch))
                .chain(rooms -> publish(tx, byChannel, position, done, batch, rooms, published));
    }

    private Uni<Integer> publish(SqlConnection tx, Map<String, List<OutboxRow>> byChannel, int position, int done,
            List<OutboxRow> batch, Map<UUID, List<UUID>> roomsByOrg, List<Long> published) {
        List<Command> commands = new ArrayList<>();
        List<Integer> firstCommand = new ArrayList<>();
        for (OutboxRow row : batch) {
            firstCommand.add(commands.size());
            commands.add(new Command("publish", new JsonObject()
                    .put("channel", row.channel())
                    .put("data", row.payload())
                    .put("idempotency_key", row.idempotencyKey())));
            commands.addAll(unsubscribesFor(row, roomsByOrg));
        }
        return centrifugo.batch(commands).chain(outcomes -> {
            List<Uni<Void>> updates = new ArrayList<>();
            int finished = 0;
            for (int i = 0; i < batch.size(); i++) {
                OutboxRow row = batch.get(i);
                int from = firstCommand.get(i);
                int to = i + 1 < batch.size() ? firstCommand.get(i + 1) : commands.size();
                Outcome outcome = outcomeOf(row, outcomes.subList(from, to));
                if (outcome.ok()) {
                    published.add(row.id());
                    metrics.accepted(row.createdAt());
                    finished++;
                } else if (outcome.retryable()) {
                    metrics.failed();
                    Duration delay = backoff(row.attempts());
                    LOG.debugf("outbox row %d (%s) failed, retry in %s: %s", row.id(), row.channel(), delay,
                            outcome.error());
                    updates.add(repository.retry(tx, row.id(), delay, outcome.error()));
                    // the channel stops here: nothing after the failed row goes out before it
                    byChannel.remove(row.channel());
                } else {
                    metrics.failed();
                    metrics.dead();
                    LOG.warnf("outbox row %d (%s) is dead: %s", row.id(), row.channel(), outcome.error());
                    updates.add(repository.dead(tx, row.id(), outcome.error()));
                    finished++;
                }
            }
            int total = done + finished;
            Uni<Void> recorded = updates.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.join().all(updates).andFailFast().replaceWithVoid();
            return recorded.chain(() -> round(tx, byChannel, position + 1, total, published));
        });
    }

    /** The org and user of a member event whose member lost access to the org, or null. */
    static LostMember lostMember(OutboxRow row) {
        String type = row.payload().getString("type");
        if (type == null || !MEMBER_TYPES.contains(type)) {
            return null;
        }
        Object data = row.payload().getValue("data");
        if (!(data instanceof JsonObject d)) {
            return null;
        }
        String status = d.getString("status");
        String orgId = d.getString("orgId");
        String userId = d.getString("userId");
        UUID org = ChannelAccess.parse(orgId);
        UUID user = ChannelAccess.parse(userId);
        if (status == null || "active".equals(status) || org == null || user == null) {
            return null;
        }
        return new LostMember(org, user);
    }

    record LostMember(UUID orgId, UUID userId) {
    }

    private static List<UUID> orgsLosingMembers(List<OutboxRow> batch) {
        List<UUID> orgs = new ArrayList<>();
        for (OutboxRow row : batch) {
            LostMember lost = lostMember(row);
            if (lost != null && !orgs.contains(lost.orgId())) {
                orgs.add(lost.orgId());
            }
        }
        return orgs;
    }

    /**
     * Unsubscribes a member who lost access from the org channel and from every room channel of the org (same retry
     * rules as the publish). Unsubscribing from a channel the user is not in is a no-op for Centrifugo; the
     * subscribe proxy refuses them from now on, so a room created later needs nothing.
     */
    static List<Command> unsubscribesFor(OutboxRow row, Map<UUID, List<UUID>> roomsByOrg) {
        LostMember lost = lostMember(row);
        if (lost == null) {
            return List.of();
        }
        List<Command> commands = new ArrayList<>();
        commands.add(unsubscribe(lost.userId(), Channels.org(lost.orgId())));
        for (UUID roomId : roomsByOrg.getOrDefault(lost.orgId(), List.of())) {
            commands.add(unsubscribe(lost.userId(), Channels.room(roomId)));
        }
        return commands;
    }

    private static Command unsubscribe(UUID userId, String channel) {
        return new Command("unsubscribe", new JsonObject().put("user", userId.toString()).put("channel", channel));
    }

    /**
     * The row's outcome from its publish and the commands that follow it: the publish decides dead; any retryable
     * failure retries the row (the publish is then deduplicated by its idempotency key); a permanent failure of a
     * follow-up command (the publish went out) is logged and counted, and the row counts as published.
     */
    private Outcome outcomeOf(OutboxRow row, List<Outcome> outcomes) {
        Outcome publish = outcomes.get(0);
        if (!publish.ok()) {
            return publish;
        }
        for (Outcome o : outcomes.subList(1, outcomes.size())) {
            if (!o.ok() && o.retryable()) {
                return o;
            }
            if (!o.ok()) {
                metrics.failed();
                LOG.warnf("outbox row %d (%s): follow-up command failed: %s", row.id(), row.channel(), o.error());
            }
        }
        return publish;
    }

    /** After a row's {@code attempts} earlier failures and this one: platform's {@link Backoff}. */
    Duration backoff(int attempts) {
        return Backoff.exponential(config.backoffBase(), config.backoffMax()).delayAfter(attempts + 1);
    }
}
