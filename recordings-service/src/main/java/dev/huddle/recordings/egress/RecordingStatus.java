package dev.huddle.recordings.egress;

import java.util.Locale;

/** A recording's state; {@code ready} and {@code failed} are terminal and never left. */
public enum RecordingStatus {
    RECORDING(1),
    FINALIZING(2),
    READY(3),
    FAILED(3);

    private final int rank;

    RecordingStatus(int rank) {
        this.rank = rank;
    }

    public boolean terminal() {
        return rank == 3;
    }

    /** Later in the lifecycle: breaks ties between updates with the same LiveKit timestamp. */
    public boolean after(RecordingStatus other) {
        return rank > other.rank;
    }

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RecordingStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
