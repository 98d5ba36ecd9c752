package dev.huddle.core.orgs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.huddle.platform.problem.ProblemException;
import io.vertx.core.json.JsonObject;

/** The bounds of an org's free-form {@code settings}: its size as JSON, and how deeply it nests. */
final class OrgSettings {

    /** Largest settings object, in bytes of its compact JSON (UTF-8). */
    static final int MAX_BYTES = 16 * 1024;
    /** Deepest nesting: the settings object is level 1, an object or array in it level 2... */
    static final int MAX_DEPTH = 8;

    private static final String FIELD = "settings";

    private OrgSettings() {
    }

    /** @throws ProblemException 400 when the settings are over either bound */
    static void requireBounded(Map<String, Object> settings) {
        if (settings == null) {
            return;
        }
        if (depth(settings, 1) > MAX_DEPTH) {
            throw ProblemException.invalid(FIELD, "must nest at most " + MAX_DEPTH + " levels deep");
        }
        int bytes = new JsonObject(settings).encode().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw ProblemException.invalid(FIELD, "must be at most " + MAX_BYTES + " bytes as JSON (is " + bytes + ")");
        }
    }

    /** The nesting depth of a JSON value as Jackson bound it; stops counting past the bound. */
    private static int depth(Object value, int level) {
        if (level > MAX_DEPTH) {
            return level;
        }
        int deepest = level;
        if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                if (v instanceof Map<?, ?> || v instanceof List<?>) {
                    deepest = Math.max(deepest, depth(v, level + 1));
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object v : list) {
                if (v instanceof Map<?, ?> || v instanceof List<?>) {
                    deepest = Math.max(deepest, depth(v, level + 1));
                }
            }
        }
        return deepest;
    }
}
