package dev.huddle.realtime.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.huddle.platform.jobs.SingleRunner;
import dev.huddle.platform.outbox.OutboxWriter;
import dev.huddle.realtime.client.CentrifugoClient;
import dev.huddle.realtime.config.RealtimeConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Relays {@code realtime.outbox} to Centrifugo. Woken by {@code LISTEN realtime_outbox} (a dedicated connection
 * that reconnects when lost), with polling as the fallback; each wake-up runs {@link RelayWorker} passes until one
 * finishes nothing, several at once under load ({@code concurrency}). While passes keep finding rows the replica is
 * marked busy in {@code realtime.relay_replicas} and writers save their NOTIFY (see {@code OutboxWriter}). Also
 * prunes published rows past their retention (one replica at a time, {@link SingleRunner}) and refreshes the depth
 * gauges. Without Centrifugo configured nothing is relayed: rows wait.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long RECONNECT_DELAY_MILLIS = 2_000;
    /** Consecutive passes that finished rows before the replica advertises itself busy. */
    private static final int BUSY_AFTER_PASSES = 3;

    private final Vertx vertx;
    private final RealtimeConfig.Relay config;
    private final CentrifugoClient centrifugo;
    private final OutboxRepository repository;
    private final OutboxMetrics metrics;
    private final SingleRunner singleRunner;
    private final RelayWorker worker;

    /** Passes one replica runs at once (configured, at least one). */
    private final int concurrency;
    /** Passes in flight (at most {@code concurrency}). */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean again = new AtomicBoolean();
    private final List<Long> timers = new ArrayList<>();
    private volatile boolean stopped;
    /** This process in {@code realtime.relay_replicas}. */
    private final UUID replica = UUID.randomUUID();
    /** When this replica's advertised busy lease ends (epoch millis), 0 while idle. */
    private volatile long busyUntil;
    /** Passes in a row that finished rows. */
    private final AtomicInteger productivePasses = new AtomicInteger();
    /** Passes ended, whatever their outcome. */
    private final AtomicLong passesEnded = new AtomicLong();
    private PgSubscriber subscriber;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String databaseUser;
    /** Empty (a role without a password) is no value to SmallRye Config, hence Optional. */
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> databasePassword;

    public OutboxRelay(Vertx vertx, Pool pool, RealtimeConfig config, CentrifugoClient centrifugo,
            OutboxRepository repository, OutboxMetrics metrics, SingleRunner singleRunner) {
        this.vertx = vertx;
        this.config = config.relay();
        this.centrifugo = centrifugo;
        this.repository = repository;
        this.metrics = metrics;
        this.singleRunner = singleRunner;
        this.worker = new RelayWorker(pool, repository, centrifugo, metrics, this.config);
        this.concurrency = Math.max(1, this.config.concurrency());
    }

    void onStart(@Observes StartupEvent event) {
        timers.add(vertx.setPeriodic(config.metricsInterval().toMillis(), id -> refreshStats()));
        timers.add(vertx.setPeriodic(config.pruneInterval().toMillis(), id -> prune()));
        if (!centrifugo.configured()) {
            LOG.warn("outbox relay is off: Centrifugo is not configured (CENTRIFUGO_API_URL, CENTRIFUGO_API_KEY); "
                    + "outbox rows wait unpublished");
            return;
        }
        timers.add(vertx.setPeriodic(config.pollInterval().toMillis(), id -> trigger()));
        listen();
        trigger();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        timers.forEach(vertx::cancelTimer);
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
        if (busyUntil != 0) {
            // writers go back to waking the other replicas (or this one's successor) at once
            repository.idle(replica).onFailure().recoverWithNull().await().atMost(Duration.ofSeconds(2));
        }
    }

    /** Runs a relay pass now (or right after the ones in progress, when all slots are taken). */
    public void trigger() {
        if (stopped) {
            return;
        }
        again.set(true);
        startPass();
    }

    /** Starts a pass if a slot is free; answers whether it did. */
    private boolean startPass() {
        while (true) {
            int current = inFlight.get();
            if (current >= concurrency) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                pass();
                return true;
            }
        }
    }

    /**
     * One pass; up to {@code concurrency} run at once, on their own connections and disjoint channels (the same
     * advisory locks that keep replicas apart). Passes follow each other until one finishes nothing. Once passes
     * keep finishing rows (sustained load, not a single event) the replica advertises itself busy (writers skip
     * NOTIFY) and fills every slot; when the last pass in flight finds nothing it advertises idle and runs one more
     * pass without advertising, for rows committed by writers that still saw it busy.
     */
    private void pass() {
        again.set(false);
        worker.relayOnce().onTermination().invoke(passesEnded::incrementAndGet).subscribe().with(finished -> {
            if (finished == 0 && inFlight.getAndUpdate(n -> n > 1 ? n - 1 : n) > 1) {
                // the other passes hold the due channels and carry on; they start the next ones, and the count of
                // productive passes is theirs to keep (an empty pass beside a productive one says nothing of the
                // load). Leaving only when another is still in flight (one atomic step) means two passes ending empty
                // at once cannot both leave: the last one goes on to mark the replica idle.
                return;
            }
            int productive = productivePasses.updateAndGet(n -> finished > 0 ? n + 1 : 0);
            if (productive >= BUSY_AFTER_PASSES) {
                stampBusy().subscribe().with(ok -> paced(finished), failure -> paced(finished));
            } else if (finished > 0) {
                again.set(true);
                next(false);
            } else if (busyUntil != 0) {
                busyUntil = 0;
                repository.idle(replica).onFailure().invoke(e -> LOG.debugf("relay idle stamp failed: %s", e))
                        .onFailure().recoverWithNull()
                        .subscribe().with(ok -> {
                            again.set(true);
                            next(false);
                        });
            } else {
                next(false);
            }
        }, failure -> {
            inFlight.decrementAndGet();
            LOG.warnf("outbox relay pass failed (rows stay pending): %s", failure.toString());
        });
    }

    /** A pass ended: start the next one(s). A busy replica fills every slot; otherwise one follows if asked. */
    private void next(boolean fill) {
        inFlight.decrementAndGet();
        if (stopped) {
            return;
        }
        if (fill) {
            while (startPass()) {
                // fill the free slots
            }
        } else if (again.get() || busyUntil != 0) {
            trigger();
        }
    }

    /**
     * A busy pass ended: the next ones start at once when it claimed a full batch (a backlog), otherwise after
     * {@code busy-linger}, while rows gather (the slot stays taken meanwhile, so the pause is per slot).
     */
    private void paced(int finished) {
        long linger = config.busyLinger().toMillis();
        if (finished >= config.batchSize() || linger <= 0) {
            next(true);
        } else {
            vertx.setTimer(linger, id -> next(true));
        }
    }

    /** Renews this replica's busy lease when less than half of it is left. */
    private Uni<Void> stampBusy() {
        long now = System.currentTimeMillis();
        long lease = config.busyLease().toMillis();
        if (busyUntil - now > lease / 2) {
            return Uni.createFrom().voidItem();
        }
        busyUntil = now + lease;
        return repository.busy(replica, config.busyLease())
                .onFailure().invoke(e -> LOG.debugf("relay busy stamp failed: %s", e.toString()));
    }

    private void listen() {
        String url = databaseUrl.split(",")[0].trim().replaceFirst("^vertx-reactive:", "");
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(databaseUser).setPassword(databasePassword.orElse(""));
        options.setMetricsName("realtime-outbox-listen");
        subscriber = PgSubscriber.subscriber(vertx, options);
        // reconnect forever when the connection is lost; polling covers the gap
        subscriber.reconnectPolicy(retries -> RECONNECT_DELAY_MILLIS);
        subscriber.channel(OutboxWriter.NOTIFY_CHANNEL).handler(payload -> trigger())
                .subscribeHandler(this::trigger);
        connect();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        subscriber.connect().subscribe().with(ok -> LOG.debug("listening on " + OutboxWriter.NOTIFY_CHANNEL),
                failure -> {
                    LOG.warnf("LISTEN %s failed, retrying (polling meanwhile): %s", OutboxWriter.NOTIFY_CHANNEL,
                            failure.toString());
                    vertx.setTimer(RECONNECT_DELAY_MILLIS, id -> connect());
                });
    }

    /** How many relay passes have ended (relayed rows or not, failed or not): evidence that the relay ran. */
    public long passesEnded() {
        return passesEnded.get();
    }

    /** Whether the LISTEN connection is up right now. */
    public boolean listening() {
        return subscriber != null && !subscriber.closed() && subscriber.actualConnection() != null;
    }

    private void refreshStats() {
        repository.stats().subscribe().with(s -> metrics.stats(s[0], s[1]),
                failure -> LOG.debugf("outbox stats failed: %s", failure.toString()));
    }

    private void prune() {
        singleRunner.runExclusively("realtime-bridge.outbox-prune", () -> repository.prune(config.retention())
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("pruned %d published outbox rows", n);
                    }
                }))
                .subscribe().with(ran -> {
                }, failure -> LOG.warnf("outbox prune failed: %s", failure.toString()));
    }
}
