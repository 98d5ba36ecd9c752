package dev.huddle.recordings.storage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.platform.retry.Backoff;
import dev.huddle.recordings.config.RecordingsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Drains {@code recordings.storage_deletions}: deletes each queued object from the bucket, then its row. A row goes
 * only once its object is gone (S3's DeleteObject answers 204 for a key that does not exist, so an object deleted
 * earlier, by hand or by an attempt whose answer was lost, also counts as gone). Nothing is ever dropped:
 * <ul>
 * <li>A failed deletion keeps its row, counts the attempt, records why and waits: {@code backoff-base} doubled each
 * attempt, at most {@code backoff-max}.</li>
 * <li>When storage cannot be reached at all, the round stops at the first such failure and gives the rest of its
 * rows back untouched: an outage costs one failed request per round, and only delays.</li>
 * <li>A row whose key cannot be told ({@link ObjectKeys}) waits the same way, with the reason, for an operator.</li>
 * <li>While storage is not configured the rows wait, and the start-up report says so.</li>
 * </ul>
 * Replicas share the work safely: rows are claimed with {@code FOR UPDATE SKIP LOCKED} under a lease
 * ({@link StorageDeletionRepository#claim}). Metrics: {@code recordings.storage.deletions.depth} and
 * {@code recordings.storage.deletions.oldest.seconds} (gauges), {@code recordings.storage.deletions.deleted} and
 * {@code recordings.storage.deletions.failures} (counters, the latter tagged {@code reason}: {@code unreachable},
 * {@code refused}, {@code unresolvable}).
 * <p>
 * Created at start-up, so that the meters are exposed before the first round.
 */
@Startup
@ApplicationScoped
public class StorageDeletionWorker {

    public static final String JOB = "recordings-service.storage-deletions";

    private static final Logger LOG = Logger.getLogger(StorageDeletionWorker.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    /** What one round did. */
    public record Round(boolean ran, int claimed, int deleted, int failed, int released) {

        static final Round NOT_CONFIGURED = new Round(false, 0, 0, 0, 0);
    }

    private final StorageDeletionRepository queue;
    private final RecordingStorage storage;
    private final RecordingsConfig.Storage config;
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();
    private final Counter deleted;
    private final Counter unreachable;
    private final Counter refused;
    private final Counter unresolvable;

    public StorageDeletionWorker(StorageDeletionRepository queue, RecordingStorage storage, RecordingsConfig config,
            MeterRegistry registry) {
        this.queue = queue;
        this.storage = storage;
        this.config = config.storage();
        registry.gauge("recordings.storage.deletions.depth", Tags.empty(), depth);
        registry.gauge("recordings.storage.deletions.oldest.seconds", Tags.empty(), oldestSeconds);
        this.deleted = Counter.builder("recordings.storage.deletions.deleted")
                .description("storage objects of deleted recordings removed").register(registry);
        this.unreachable = failures(registry, "unreachable");
        this.refused = failures(registry, "refused");
        this.unresolvable = failures(registry, "unresolvable");
    }

    private static Counter failures(MeterRegistry registry, String reason) {
        return Counter.builder("recordings.storage.deletions.failures").tag("reason", reason)
                .description("failed attempts to delete a storage object (the row stays queued)").register(registry);
    }

    @Scheduled(identity = JOB, every = "${huddle.recordings.storage.poll-interval}", delayed = "${huddle.recordings.storage.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return drain().onFailure().invoke(e -> LOG.warnf(e, "storage deletion round failed")).onFailure()
                .recoverWithNull().replaceWithVoid();
    }

    /** One round: claims up to {@code batch-size} due rows and deletes their objects. */
    public Uni<Round> drain() {
        if (!storage.configured()) {
            LOG.debug("storage deletions wait: storage is not configured");
            return refreshMetrics().replaceWith(Round.NOT_CONFIGURED);
        }
        return queue.claim(config.batchSize(), config.lease())
                .chain(claimed -> process(claimed, 0, new int[3]))
                .call(this::refreshMetrics)
                .invoke(round -> {
                    if (round.failed() > 0 || round.released() > 0) {
                        LOG.warnf("storage deletions: %d deleted, %d failed, %d put back for the next round",
                                round.deleted(), round.failed(), round.released());
                    } else if (round.deleted() > 0) {
                        LOG.infof("storage deletions: %d object(s) deleted", round.deleted());
                    }
                });
    }

    /** Rows from {@code i} on, one at a time; tally = {deleted, failed, released}. */
    private Uni<Round> process(List<StorageDeletionRepository.Claimed> rows, int i, int[] tally) {
        if (i == rows.size()) {
            return Uni.createFrom().item(new Round(true, rows.size(), tally[0], tally[1], tally[2]));
        }
        StorageDeletionRepository.Claimed row = rows.get(i);
        Optional<String> key = storage.key(row.objectKey(), row.location());
        if (key.isEmpty()) {
            unresolvable.increment();
            tally[1]++;
            return queue.failed(row.id(), "cannot tell the object's key in bucket " + storage.bucket() + " from "
                    + "object_key/location '" + row.location() + "'", backoff(row.attempts()))
                    .chain(() -> process(rows, i + 1, tally));
        }
        return Uni.createFrom().item(() -> {
            storage.delete(key.get());
            return key.get();
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItemOrFailure().transformToUni((gone, e) -> {
                    if (e == null) {
                        deleted.increment();
                        tally[0]++;
                        return queue.done(row.id()).chain(() -> process(rows, i + 1, tally));
                    }
                    tally[1]++;
                    Uni<Void> recorded = queue.failed(row.id(), describe(e), backoff(row.attempts()));
                    if (e instanceof AwsServiceException) {
                        // storage answered and refused this one: the others may still go
                        refused.increment();
                        return recorded.chain(() -> process(rows, i + 1, tally));
                    }
                    // storage could not be reached: try again next round rather than time out on every row now
                    unreachable.increment();
                    List<Long> rest = rows.subList(i + 1, rows.size()).stream()
                            .map(StorageDeletionRepository.Claimed::id).toList();
                    tally[2] += rest.size();
                    return recorded.chain(() -> queue.release(rest))
                            .map(v -> new Round(true, rows.size(), tally[0], tally[1], tally[2]));
                });
    }

    /**
     * {@code backoff-base} x 2^attempts (attempts made before this one), at most {@code backoff-max}: platform's
     * {@link Backoff}.
     */
    Duration backoff(int attemptsBefore) {
        return Backoff.exponential(config.backoffBase(), config.backoffMax()).delayAfter(attemptsBefore + 1);
    }

    private static String describe(Throwable e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        return message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message;
    }

    private Uni<Void> refreshMetrics() {
        return queue.depth().invoke(d -> {
            depth.set(d.rows());
            oldestSeconds.set((long) d.oldestSeconds());
        }).onFailure().invoke(e -> LOG.debugf(e, "storage deletion metrics not refreshed")).onFailure()
                .recoverWithNull().replaceWithVoid();
    }
}
