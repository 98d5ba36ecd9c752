package dev.huddle.core.ratelimit;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The bounds tests' profile: caps and limits small enough to reach in a test, with periods long enough that refill
 * during a test never lets one more through (a day for writes: a flood of 250 takes seconds), and the gateway in
 * front trusted for X-Forwarded-For (as deployed behind one), so that each test signs in from client addresses of its
 * own. All bounds tests share it: the app starts once for them.
 */
public class BoundsTestProfile implements QuarkusTestProfile {

    /** The sign-in calls one client address may make in the period. */
    public static final int SIGN_IN_PER_ADDRESS = 20;
    /** The sign-in calls per state or refresh token in the period. */
    public static final int SIGN_IN_PER_CREDENTIAL = 25;
    /** Orgs one user may create in 24 hours. */
    public static final int MAX_CREATED_PER_DAY = 200;
    /** Orgs one user may own and still create another. */
    public static final int MAX_OWNED = 250;
    /** Writes per user and org in the period. */
    public static final int WRITES = 250;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "huddle.orgs.max-created-per-day", Integer.toString(MAX_CREATED_PER_DAY),
                "huddle.orgs.max-owned", Integer.toString(MAX_OWNED),
                "huddle.rate-limits.writes.requests", Integer.toString(WRITES),
                "huddle.rate-limits.writes.period", "PT24H",
                "huddle.rate-limits.sign-in.per-address", Integer.toString(SIGN_IN_PER_ADDRESS),
                "huddle.rate-limits.sign-in.per-credential", Integer.toString(SIGN_IN_PER_CREDENTIAL),
                "huddle.rate-limits.sign-in.period", "PT1H",
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
    }
}
