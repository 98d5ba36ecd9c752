package dev.huddle.platform.retry;

/** How a retrying worker records why an attempt failed (a {@code last_error} column). */
public final class Failures {

    /** The longest description kept. */
    public static final int MAX_LENGTH = 1000;

    private Failures() {
    }

    /** The exception's simple class name and message, at most {@link #MAX_LENGTH} characters. */
    public static String describe(Throwable e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        return message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH) : message;
    }
}
