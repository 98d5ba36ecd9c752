package dev.huddle.core.orgs;

import java.util.Map;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "UpdateOrganization", description = "A new name, new settings (replacing the old), or both.")
public record UpdateOrgRequest(
        @Schema(nullable = true, examples = "Acme Studio") @Size(min = 1, max = 200) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String name,
        @Schema(nullable = true) @Size(max = 50) Map<String, Object> settings) {

    @AssertTrue(message = "give name, settings or both")
    @Schema(hidden = true)
    public boolean isSomething() {
        return name != null || settings != null;
    }
}
