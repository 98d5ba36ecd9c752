package dev.huddle.core.chat;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The chat tests' profile: the default 20 messages, but per hour instead of per 10 s, so that refill during a test
 * on a slow machine never lets the 21st post through. All chat tests share it, so the app starts once for them.
 */
public class ChatTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("huddle.chat.rate-limit.messages", "20", "huddle.chat.rate-limit.period", "PT1H");
    }
}
