package dev.huddle.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * A {@code @ConfigMapping} built by SmallRye Config from the given properties, for a test that needs a configuration
 * without the application: its defaults, names and conversions are the real ones (Quarkus's {@code 30s} durations
 * and {@code 16M} sizes included), never a hand-written implementation that could say what the mapping cannot.
 */
public final class TestConfig {

    private TestConfig() {
    }

    /**
     * The mapping {@code type} as the properties {@code values} (full names, prefix included) configure it; a
     * property left out takes its default.
     */
    public static <T> T mapping(Class<T> type, Map<String, String> values) {
        return new SmallRyeConfigBuilder().withMapping(type)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(values, "test", 100)).build()
                .getConfigMapping(type);
    }

    /**
     * The mapping {@code type} as the properties given as name, value, name, value... configure it; a null value
     * leaves its property out, so that it takes its default (or is empty).
     */
    public static <T> T mapping(Class<T> type, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                values.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return mapping(type, values);
    }
}
