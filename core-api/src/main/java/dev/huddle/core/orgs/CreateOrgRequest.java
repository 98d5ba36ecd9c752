package dev.huddle.core.orgs;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CreateOrganization")
public record CreateOrgRequest(
        @Schema(examples = "Acme Video") @NotBlank @Size(max = 200) String name,
        @Schema(nullable = true, description = "Free-form settings object") @Size(max = 50) Map<String, Object> settings) {
}
