package dev.huddle.platform.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * An outside service (Stripe, WorkOS, LiveKit, Centrifugo, S3) a feature needs. Services report each one at
 * start-up, so a stack started without accounts says plainly what will not work instead of failing later.
 *
 * @param name what it is, as an operator knows it
 * @param settings environment variable -> its value, if set
 * @param without what does not work while it is not configured
 */
public record ExternalService(String name, Map<String, Optional<String>> settings, String without) {

    private static final Logger LOG = Logger.getLogger(ExternalService.class);

    public static ExternalService of(String name, String without, Object... envAndValue) {
        Map<String, Optional<String>> settings = new LinkedHashMap<>();
        for (int i = 0; i < envAndValue.length; i += 2) {
            Object value = envAndValue[i + 1];
            Optional<String> v = value instanceof Optional<?> o ? o.map(Object::toString) : Optional.ofNullable((String) value);
            settings.put((String) envAndValue[i], v.filter(s -> !s.isBlank()));
        }
        return new ExternalService(name, settings, without);
    }

    public boolean configured() {
        return settings.values().stream().allMatch(Optional::isPresent);
    }

    public List<String> missing() {
        return settings.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    /** Logs one line: configured, or not configured with what is missing and what will not work. */
    public ExternalService report() {
        if (configured()) {
            LOG.infof("%s: configured", name);
        } else {
            LOG.warnf("%s is not configured (set %s): %s", name, String.join(", ", missing()), without);
        }
        return this;
    }
}
