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
 * <p>
 * A list ordered by a sequence alone ({@code id DESC}, a bigint identity such as a history's) has its position in
 * the same opaque form, through {@link #encodeSequence} and {@link #decodeSequence}.
 */
public record Cursor(OffsetDateTime createdAt, UUID id) {

    private static final String VERSION = "v1";
    private static final String SEQUENCE = "s1";

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt.toInstant());
        return opaque(VERSION + "|" + micros + "|" + id);
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
            String[] parts = parts(value, VERSION, 3);
            if (parts[2].length() != 36) {
                throw new IllegalArgumentException();
            }
            Instant at = Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
            return new Cursor(at.atOffset(ZoneOffset.UTC), UUID.fromString(parts[2]));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** The position after the row with sequence {@code id} in a list ordered by {@code id DESC}. */
    public static String encodeSequence(long id) {
        return opaque(SEQUENCE + "|" + id);
    }

    /**
     * @param value a cursor from a previous page of a sequence-ordered list, or null for the first page
     * @return the sequence of the last row shown, or null for the first page
     */
    public static Long decodeSequence(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(parts(value, SEQUENCE, 2)[1]);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static String opaque(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's fields; an {@link IllegalArgumentException} when it is not one of {@code version} we gave out. */
    private static String[] parts(String value, String version, int count) {
        String raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
        String[] parts = raw.split("\\|");
        if (parts.length != count || !parts[0].equals(version)) {
            throw new IllegalArgumentException();
        }
        return parts;
    }

    private static ProblemException invalid() {
        return ProblemException.invalid("cursor", "not a cursor this API gave out");
    }
}
