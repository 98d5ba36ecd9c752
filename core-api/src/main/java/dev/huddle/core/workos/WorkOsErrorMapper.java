package dev.huddle.core.workos;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import dev.huddle.core.workos.WorkOsWire.Error;

/**
 * Turns every WorkOS answer of 400 or more into a {@link WorkOsApiException}: its status, its error code
 * ({@code code}, or {@code error} on authentication) when it is a short plain word, its {@code message}, and when
 * its {@code Retry-After} says to try again. The only mapper of the WorkOS clients.
 */
public class WorkOsErrorMapper implements ResponseExceptionMapper<WorkOsApiException> {

    @Override
    public WorkOsApiException toThrowable(Response response) {
        int status = response.getStatus();
        Error body = body(response);
        String code = body == null ? null : plainWord(body.code() != null ? body.code() : body.error());
        String message = body == null ? null : body.message();
        return new WorkOsApiException("WorkOS answered " + status + (code == null ? "" : " " + code)
                + (message == null ? "" : ": " + message), status, code,
                retryAt(response.getHeaderString("Retry-After"), Instant.now()), null);
    }

    private static Error body(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(Error.class) : null;
        } catch (ProcessingException | IllegalStateException e) {
            return null;
        }
    }

    private static String plainWord(String value) {
        return value != null && value.matches("[a-z0-9_.-]{1,64}") ? value : null;
    }

    /**
     * When a {@code Retry-After} header received at {@code now} says to try again (RFC 9110: delay-seconds, or an
     * HTTP-date); null when absent or unreadable.
     */
    public static Instant retryAt(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            // more than a year is not a wait anyone means (and would overflow); callers cap it anyway
            return value.length() > 8 ? now.plus(Duration.ofDays(366)) : now.plusSeconds(Long.parseLong(value));
        }
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
