package dev.huddle.platform.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class ProblemExceptionTest {

    @Test
    void aMissingItemIsThe404OfWhatWasAskedFor() {
        ProblemException e = assertThrows(ProblemException.class, () -> Uni.createFrom().<String> nullItem()
                .plug(ProblemException.orNotFound("room")).await().atMost(Duration.ofSeconds(5)));
        assertEquals(404, e.status().getStatusCode());
        assertEquals("not-found", e.slug());
        assertEquals("room not found", e.getMessage());

        assertEquals("found", Uni.createFrom().item("found").plug(ProblemException.orNotFound("room")).await()
                .atMost(Duration.ofSeconds(5)));
    }

    @Test
    void requireFoundAndRequireExistsAnswerTheSame404() {
        Object value = new Object();
        assertSame(value, ProblemException.requireFound(value, "member"));
        ProblemException missing = assertThrows(ProblemException.class,
                () -> ProblemException.requireFound(null, "member"));
        assertEquals(404, missing.status().getStatusCode());
        assertEquals("member not found", missing.getMessage());

        ProblemException.requireExists(true, "organization");
        ProblemException absent = assertThrows(ProblemException.class,
                () -> ProblemException.requireExists(false, "organization"));
        assertEquals(404, absent.status().getStatusCode());
        assertEquals("organization not found", absent.getMessage());
    }
}
