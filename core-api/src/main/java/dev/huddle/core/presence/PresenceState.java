package dev.huddle.core.presence;

/** A participant session's state in a room, as stored ({@code core.room_presence.state}). */
public enum PresenceState {

    JOINED("joined"),
    LEFT("left");

    private final String value;

    PresenceState(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static PresenceState of(String value) {
        return switch (value) {
            case "joined" -> JOINED;
            case "left" -> LEFT;
            default -> throw new IllegalArgumentException("unknown presence state " + value);
        };
    }
}
