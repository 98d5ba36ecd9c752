package dev.huddle.core.orgs;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Organization", description = "An organization, as one of its members sees it.")
public record OrgResponse(
        @Schema(examples = "0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e") UUID id,
        @Schema(examples = "Acme Video") String name,
        @Schema(description = "Free-form org settings") Map<String, Object> settings,
        @Schema(description = "The caller's role in the organization", examples = "admin") String role,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    public static OrgResponse of(Organization org, String role) {
        return new OrgResponse(org.id(), org.name(), org.settings(), role, org.createdAt(), org.updatedAt());
    }
}
