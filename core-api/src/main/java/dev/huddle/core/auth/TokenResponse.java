package dev.huddle.core.auth;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of a sign-in or a refresh. {@code toString} shows no token. */
@Schema(name = "TokenResponse", description = "A new access token. The refresh token that goes with it is not in the body: "
        + "it is set as the HttpOnly cookie huddle_refresh (Path=/v1/auth, SameSite=Strict), which refresh and logout read.")
public record TokenResponse(
        @Schema(description = "A WorkOS AuthKit access token (JWT): send it as Authorization: Bearer", examples = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln") String accessToken,
        @Schema(examples = "Bearer") String tokenType,
        @Schema(nullable = true, description = "When the access token expires (its exp)", examples = "2026-11-25T10:05:00Z") Instant expiresAt,
        @Schema(description = "The WorkOS user id", examples = "user_01HZX5J8Q2W3E4R5T6Y7U8I9O0") String userId,
        @Schema(nullable = true, description = "The WorkOS organization the token is scoped to", examples = "org_01HZX5J8Q2W3E4R5T6Y7U8I9O0") String organizationId) {

    static TokenResponse of(SessionService.Issued issued) {
        return new TokenResponse(issued.accessToken(), "Bearer", issued.expiresAt(), issued.userId(), issued.organizationId());
    }

    @Override
    public String toString() {
        return "TokenResponse[userId=" + userId + ", organizationId=" + organizationId + ", expiresAt=" + expiresAt
                + ", accessToken=***]";
    }
}
