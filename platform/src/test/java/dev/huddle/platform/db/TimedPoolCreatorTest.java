package dev.huddle.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.huddle.migrations.PgUrl;
import dev.huddle.testing.PostgresServer;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;

class TimedPoolCreatorTest {

    @Test
    void aFullPoolFailsAfterTheAcquireTimeoutAndConnectionsGetTheConnectTimeout() throws Exception {
        PgUrl server = PostgresServer.shared();
        PgConnectOptions options = new PgConnectOptions().setHost(server.host()).setPort(server.port())
                .setDatabase(server.database()).setUser(server.user());
        server.password().ifPresent(options::setPassword);
        PoolOptions poolOptions = new PoolOptions().setMaxSize(1);
        Vertx vertx = Vertx.vertx();
        DatabaseTimeouts timeouts = new DatabaseTimeouts() {
            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(3);
            }

            @Override
            public Duration acquireTimeout() {
                return Duration.ofSeconds(2);
            }
        };
        Pool pool = new TimedPoolCreator(timeouts).create(new PgPoolCreator.Input() {
            @Override
            public Vertx vertx() {
                return vertx;
            }

            @Override
            public PoolOptions poolOptions() {
                return poolOptions;
            }

            @Override
            public List<PgConnectOptions> pgConnectOptionsList() {
                return List.of(options);
            }
        });
        try {
            assertTrue(pool instanceof PgPool, "Quarkus casts the pool to PgPool");
            assertEquals(3000, options.getConnectTimeout());
            SqlConnection held = pool.getConnection().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            ExecutionException waited = assertThrows(ExecutionException.class,
                    () -> pool.getConnection().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 1900 && millis < 8000, "gave up after " + millis + " ms: " + waited.getCause());
            held.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            pool.close();
            vertx.close();
        }
    }
}
