package dev.huddle.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.huddle.platform.livekit.LiveKitReflection;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Every LiveKit protocol file whose messages any module's code names is registered for the native image. */
class LiveKitReflectionTest {

    private static final Pattern PROTOCOL_FILE = Pattern.compile("\\blivekit\\.(Livekit[A-Za-z]+)\\b");

    @Test
    void everyLiveKitProtocolFileTheServicesUseIsRegistered() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String module : List.of("platform", "core-api", "billing-service", "realtime-bridge",
                "recordings-service")) {
            Path sources = Path.of("..", module, "src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                    Matcher m = PROTOCOL_FILE.matcher(Files.readString(file));
                    while (m.find()) {
                        used.add("livekit." + m.group(1));
                    }
                }
            }
        }
        Set<String> registered = Arrays.stream(LiveKitReflection.class.getAnnotation(RegisterForReflection.class)
                .targets()).map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        used.removeAll(registered);
        assertEquals(Set.of(), used, "register these in LiveKitReflection");
    }
}
