package dev.huddle.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.huddle.testing.PackagedApp;

/**
 * One packaged app ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as production runs it: its own process,
 * port and database role, the prod profile, configured only through its environment. Its output goes to a log file
 * that survives restarts (each start appends a banner), so a failure can show what the service said.
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final String name;
    private final Path folder;
    private final Path log;
    private final int port;
    private final Map<String, String> environment;
    private Process process;
    private int starts;

    /**
     * @param name the module's name, or for another replica of it a name of its own (its log file's, and what
     *        failures call it)
     */
    ServiceProcess(String module, String name, Path root, Path logs, Map<String, String> environment) {
        this.module = module;
        this.name = name;
        this.folder = PackagedApp.folder(root, module);
        this.log = logs.resolve(name + ".log");
        this.port = Integer.parseInt(environment.get("PORT"));
        this.environment = Map.copyOf(environment);
    }

    public String module() {
        return module;
    }

    /** The module, or which replica of it this is ({@code core-api-2}). */
    public String name() {
        return name;
    }

    Map<String, String> environment() {
        return environment;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the process (appending to its log); {@link #awaitReady} waits for it. */
    public synchronized void start() {
        if (!PackagedApp.exists(folder)) {
            throw new IllegalStateException(folder + " is missing: the reactor packages " + module
                    + " before system-tests (./mvnw verify, or -pl system-tests -am)");
        }
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Files.writeString(log, "%n===== start %d of %s =====%n".formatted(++starts, name), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            // the archive must fit (-Xshare:on): what ships starts with it
            ProcessBuilder pb = PackagedApp
                    .process(folder, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), PackagedApp.Archive.REQUIRED)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(environment);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200; fails naming the service, with its log, if it exits first. */
    public void awaitReady(Duration timeout) {
        try {
            Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " exited with " + process.exitValue());
                        }
                        return readyStatus() == 200;
                    });
        } catch (ConditionTimeoutException | IllegalStateException e) {
            throw new AssertionError(name + " did not become ready: " + e.getMessage() + "\n" + logTail(80), e);
        }
    }

    /** The status of {@code /q/health/ready}, or -1 when nothing answers. */
    public int readyStatus() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@code kill -9}: the process gets no chance to finish anything. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    /** A normal stop (SIGTERM), forced after 20 seconds. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The last {@code lines} lines of the service's log, headed by its name. */
    public String logTail(int lines) {
        return "----- " + name + " log (last " + lines + " lines of " + log + ") -----\n" + tail(log, lines);
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
