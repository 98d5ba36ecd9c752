package dev.huddle.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a packaged app (the fast-jar {@code <module>/target/quarkus-app}) is started as its image starts it: from its own
 * folder, with the class-data archive the build made ({@code app-cds.jsa}, {@code quarkus.package.jar.appcds.enabled})
 * when there is one. The archive holds the classes the app loads while it starts, already parsed and verified; the JVM
 * maps it only when the jar is named exactly as when the archive was written ({@code quarkus-run.jar}, relative), which
 * is why the process runs in the app's folder. The system tests, the local stack and the benchmarks start apps here.
 */
public final class PackagedApp {

    /** The archive's name in the app's folder, as Quarkus writes it. */
    public static final String ARCHIVE = "app-cds.jsa";

    private PackagedApp() {
    }

    /** {@code <root>/<module>/target/quarkus-app}. */
    public static Path folder(Path root, String module) {
        return root.resolve(module).resolve("target/quarkus-app");
    }

    /** Whether the folder holds a packaged app. */
    public static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve("quarkus-run.jar"));
    }

    /** Whether a start uses the app's class-data archive. */
    public enum Archive {
        /** When the folder has one, and the JVM starts without it when it does not fit (the images' way). */
        IF_PRESENT,
        /** When the folder has one, and a start it does not fit fails ({@code -Xshare:on}): proves it fits. */
        REQUIRED,
        /** Never: the start without it, to compare. */
        NONE
    }

    /** A process that runs the app in {@code folder} with {@code jvmOptions} and {@code args}, working in that folder. */
    public static ProcessBuilder process(Path folder, List<String> jvmOptions, Archive archive, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (archive != Archive.NONE && Files.isRegularFile(folder.resolve(ARCHIVE))) {
            command.add("-XX:SharedArchiveFile=" + ARCHIVE);
            if (archive == Archive.REQUIRED) {
                command.add("-Xshare:on");
            }
        }
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add("quarkus-run.jar");
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(folder.toFile());
    }
}
