package dev.huddle.realtime.channels;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ChannelList", description = "Channels the caller may subscribe to for this org. Room channels "
        + "(room:<roomId>) are open to every member of the room's org and are not listed.")
public record ChannelList(
        @Schema(examples = "[\"org:0b5d6c7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e\", \"user:#6f1c2d3e-4a5b-4c6d-8e7f-8a9b0c1d2e3f\"]") List<String> channels) {
}
