package dev.huddle.platform.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

import dev.huddle.platform.problem.ProblemException;

/**
 * A keyset position for lists ordered newest first by {@code (created_at DESC, id DESC)}: the last row a page
 * showed. Opaque to clients (base64url); a page's query continues with {@code (created_at, id) < (cursor)}, which
 * an index on {@code (..., created_at DESC, id DESC)} serves at the same cost on page 1 and page 10,000.
 */
public record Cursor(OffsetDateTime createdAt, UUID id) {

    private static final String VERSION = "v1";

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt.toInstant());
        String raw = VERSION + "|" + micros + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param value a cursor from a previous page, or null for the first page
     * @return the position, or null for the first page
     */
    public static Cursor decode(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|");
            if (parts.length != 3 || !parts[0].equals(VERSION) || parts[2].length() != 36) {
                throw new IllegalArgumentException();
            }
            Instant at = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
            return new Cursor(at.atOffset(ZoneOffset.UTC), UUID.fromString(parts[2]));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("cursor", "not a cursor this API gave out");
        }
    }
}
