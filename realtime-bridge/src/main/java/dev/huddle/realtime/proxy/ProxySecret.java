package dev.huddle.realtime.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.huddle.realtime.config.RealtimeConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * The secret Centrifugo presents to the subscribe proxy. Fails closed: outside the dev and test profiles the service
 * does not start without {@code CENTRIFUGO_PROXY_SECRET} (created at start-up, so the reason is in the start-up
 * failure, not in a refused subscription later); in dev and test, without it, the proxy answers any caller and a
 * warning says so.
 */
@Startup
@ApplicationScoped
public class ProxySecret {

    private static final Logger LOG = Logger.getLogger(ProxySecret.class);
    /** The profiles in which the proxy may run without a secret. */
    private static final List<String> OPEN_PROFILES = List.of("dev", "test");

    private final Optional<byte[]> secret;

    public ProxySecret(RealtimeConfig config) {
        this.secret = config.proxy().secret().filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8));
        if (secret.isEmpty()) {
            List<String> profiles = ConfigUtils.getProfiles();
            if (profiles.stream().noneMatch(OPEN_PROFILES::contains)) {
                throw new IllegalStateException("CENTRIFUGO_PROXY_SECRET is not set: without it anyone who reaches "
                        + "/centrifugo/subscribe could ask for any user's subscriptions; set it here and in Centrifugo's "
                        + "subscribe proxy static_headers (X-Centrifugo-Proxy-Secret), profiles " + profiles);
            }
            LOG.warnf("CENTRIFUGO_PROXY_SECRET is not set: the subscribe proxy answers any caller (profiles %s only)",
                    profiles);
        }
    }

    /** Whether {@code presented} (header {@code X-Centrifugo-Proxy-Secret}, or null) is the secret, in constant time. */
    public boolean accepts(String presented) {
        if (secret.isEmpty()) {
            return true;
        }
        return presented != null
                && MessageDigest.isEqual(secret.get(), presented.getBytes(StandardCharsets.UTF_8));
    }
}
