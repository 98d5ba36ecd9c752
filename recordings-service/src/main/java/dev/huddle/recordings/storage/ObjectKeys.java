package dev.huddle.recordings.storage;

import java.util.Locale;
import java.util.Optional;

/**
 * Where in the bucket a recording's file is. LiveKit egress reports it twice: {@code fileResults[].filename}, the key
 * it uploaded to (its storage filepath), kept in {@code object_key}; and {@code location}, a URL it derives from
 * bucket and key for display ({@code https://<bucket>.s3.amazonaws.com/<key>} in the egress versions we know, whatever
 * the endpoint). The key wins. Without one (rows from before it was kept, or written by hand) the key is read from
 * the location, and only when the location names the configured bucket:
 * <ul>
 * <li>{@code s3://<bucket>/<key>}</li>
 * <li>virtual-hosted {@code http(s)://<bucket>.<host>/<key>}</li>
 * <li>path-style {@code http(s)://<host>/<bucket>/<key>}</li>
 * </ul>
 * The key is taken as written, not URL-decoded: egress writes it into the URL unescaped. Anything else (another
 * bucket, another scheme) resolves to nothing, and the caller says so instead of touching an object it cannot be
 * sure of.
 */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    /** The key of the object in {@code bucket}, if {@code objectKey} or {@code location} gives one. */
    public static Optional<String> resolve(String objectKey, String location, String bucket) {
        if (objectKey != null && !objectKey.isBlank()) {
            return nonEmpty(stripSlashes(objectKey.strip()));
        }
        if (location == null || location.isBlank() || bucket == null || bucket.isBlank()) {
            return Optional.empty();
        }
        String value = location.strip();
        int schemeEnd = value.indexOf("://");
        if (schemeEnd <= 0) {
            return Optional.empty();
        }
        String scheme = value.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String rest = value.substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String host = rest.substring(0, slash).toLowerCase(Locale.ROOT);
        String path = rest.substring(slash + 1);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        String lowerBucket = bucket.toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "s3":
                return host.equals(lowerBucket) ? nonEmpty(path) : Optional.empty();
            case "http", "https":
                if (host.startsWith(lowerBucket + ".")) {
                    return nonEmpty(path);
                }
                if (path.startsWith(bucket + "/")) {
                    return nonEmpty(path.substring(bucket.length() + 1));
                }
                return Optional.empty();
            default:
                return Optional.empty();
        }
    }

    private static String stripSlashes(String key) {
        String k = key;
        while (k.startsWith("/")) {
            k = k.substring(1);
        }
        return k;
    }

    private static Optional<String> nonEmpty(String key) {
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}
