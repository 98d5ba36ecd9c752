package dev.huddle.platform.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.platform.problem.ProblemException;

class CursorTest {

    private static final Cursor AT = new Cursor(OffsetDateTime.of(2026, 11, 29, 18, 0, 0, 123_456_000, ZoneOffset.UTC),
            UUID.fromString("0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e"));

    @Test
    void aPositionComesBackAsItWasGivenOut() {
        assertEquals(AT, Cursor.decode(AT.encode()));
        assertEquals(42L, Cursor.decodeSequence(Cursor.encodeSequence(42)));
    }

    @Test
    void noCursorIsTheFirstPage() {
        assertNull(Cursor.decode(null));
        assertNull(Cursor.decode(""));
        assertNull(Cursor.decodeSequence(null));
        assertNull(Cursor.decodeSequence(""));
    }

    @Test
    void aCursorOfTheOtherKindOrNoneWeGaveOutIsA400() {
        for (String bad : List.of(Cursor.encodeSequence(42), "not base64!", "djF8eHx5", "aDQy")) {
            ProblemException e = assertThrows(ProblemException.class, () -> Cursor.decode(bad), bad);
            assertEquals(400, e.status().getStatusCode());
            assertEquals("cursor", e.errors().get(0).field());
        }
        for (String bad : List.of(AT.encode(), "not base64!", "czF8eA", "aDQy")) {
            ProblemException e = assertThrows(ProblemException.class, () -> Cursor.decodeSequence(bad), bad);
            assertEquals(400, e.status().getStatusCode());
        }
    }

    @Test
    void aSequencePageCarriesTheCursorOfItsLastRowOnlyWhenMoreFollow() {
        Page<Long> first = Page.ofSequence(List.of(9L, 8L, 7L), 2, id -> id);
        assertEquals(List.of(9L, 8L), first.items());
        assertEquals(8L, Cursor.decodeSequence(first.nextCursor()));

        Page<Long> last = Page.ofSequence(List.of(6L, 5L), 2, id -> id);
        assertEquals(List.of(6L, 5L), last.items());
        assertNull(last.nextCursor());
    }
}
