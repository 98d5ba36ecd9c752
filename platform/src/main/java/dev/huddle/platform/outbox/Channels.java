package dev.huddle.platform.outbox;

import java.util.UUID;

/**
 * Centrifugo channel names. {@code org:<orgId>}: org-wide events (membership, rooms, org presence);
 * {@code room:<roomId>}: messages and room presence; {@code user:#<userId>}: personal, user-limited ({@code #}).
 */
public final class Channels {

    private Channels() {
    }

    public static String org(UUID orgId) {
        return "org:" + orgId;
    }

    public static String room(UUID roomId) {
        return "room:" + roomId;
    }

    public static String user(UUID userId) {
        return "user:#" + userId;
    }
}
