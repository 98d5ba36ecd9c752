package dev.huddle.core.rooms;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "RoomRequest", description = "A room's name (create and rename).")
public record RoomRequest(@Schema(examples = "Weekly sync") @NotBlank @Size(max = 200) String name) {
}
