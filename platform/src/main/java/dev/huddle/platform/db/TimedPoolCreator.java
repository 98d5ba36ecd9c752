package dev.huddle.platform.db;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * Creates each service's PostgreSQL pool as Quarkus would, with {@link DatabaseTimeouts} applied: the connect
 * timeout on every connection's options, the acquire timeout on the pool.
 */
@Singleton
public class TimedPoolCreator implements PgPoolCreator {

    private final DatabaseTimeouts timeouts;

    public TimedPoolCreator(DatabaseTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setConnectTimeout(Math.toIntExact(timeouts.connectTimeout().toMillis()));
        }
        input.poolOptions().setConnectionTimeout(Math.toIntExact(timeouts.acquireTimeout().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
