package dev.huddle.core.workos;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The shapes WorkOS's API sends and takes, as far as core-api reads or writes them (the other fields are ignored).
 * Objects that the event sync applies as they are (an event's {@code data}, the organizations, users and memberships a
 * reconciliation lists) stay JSON objects: the sync reads them in one place, whichever way they came, and keeps them
 * whole when it records a poison event.
 */
public final class WorkOsWire {

    private WorkOsWire() {
    }

    /** WorkOS timestamps are ISO-8601 ({@code 2026-01-15T12:00:00.000Z}); null when absent or unreadable. */
    public static OffsetDateTime timestamp(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * One event of the Events API: {@code {object:"event", id:"event_...", event, data, created_at}}.
     *
     * @param data the object the event is about, as it was then
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Event(String id, String event, Map<String, Object> data, @JsonProperty("created_at") String createdAt) {
    }

    /** An organization membership as a write answers it ({@code PUT .../deactivate}, {@code /reactivate}, update). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Membership(@JsonProperty("updated_at") String updatedAt) {
    }

    /** {@code PUT /user_management/organization_memberships/{id}}: the new role. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RoleUpdate(@JsonProperty("role_slug") String roleSlug) {
    }

    /**
     * {@code POST /user_management/invitations}.
     *
     * @param inviterUserId the WorkOS user who invites, when they have one (WorkOS names them in its email)
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InvitationRequest(String email, @JsonProperty("organization_id") String organizationId,
            @JsonProperty("role_slug") String roleSlug, @JsonProperty("inviter_user_id") String inviterUserId,
            @JsonProperty("expires_in_days") Integer expiresInDays) {
    }

    /** An invitation ({@code {object:"invitation", id, email, state, expires_at, ...}}). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Invitation(String id, @JsonProperty("expires_at") String expiresAt) {
    }

    /**
     * {@code POST /user_management/authenticate}: our client's credentials and one grant (an authorization code, or a
     * refresh token). {@code toString} shows no secret.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Authenticate(@JsonProperty("client_id") String clientId,
            @JsonProperty("client_secret") String clientSecret, @JsonProperty("grant_type") String grantType,
            String code, @JsonProperty("refresh_token") String refreshToken) {

        @Override
        public String toString() {
            return "Authenticate[clientId=" + clientId + ", grantType=" + grantType + "]";
        }
    }

    /** The user of an authentication: its WorkOS id. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AuthenticatedUser(String id) {
    }

    /** What {@code POST /user_management/authenticate} answers. {@code toString} shows no token. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Authentication(AuthenticatedUser user, @JsonProperty("organization_id") String organizationId,
            @JsonProperty("access_token") String accessToken, @JsonProperty("refresh_token") String refreshToken) {

        @Override
        public String toString() {
            return "Authentication[user=" + user + ", organizationId=" + organizationId + "]";
        }
    }

    /** WorkOS's error answer: {@code {message, code?}} on its API, {@code {error, error_description}} on sign-in. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Error(String code, String error, String message) {
    }
}
