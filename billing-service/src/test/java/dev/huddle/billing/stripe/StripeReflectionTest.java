package dev.huddle.billing.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Every stripe-java model and param class this service's code names is registered for the native image. */
class StripeReflectionTest {

    private static final Pattern STRIPE_CLASS = Pattern
            .compile("com\\.stripe\\.(?:model|param)(?:\\.[a-z]+)*\\.[A-Z][A-Za-z0-9]*");

    @Test
    void everyStripeModelAndParamTheCodeUsesIsRegistered() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                Matcher m = STRIPE_CLASS.matcher(Files.readString(file));
                while (m.find()) {
                    used.add(m.group());
                }
            }
        }
        Set<String> registered = Arrays.stream(StripeReflection.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
        used.removeAll(registered);
        assertEquals(Set.of(), used, "register these in StripeReflection");
    }
}
