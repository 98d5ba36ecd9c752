package dev.huddle.core.orgs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Organizations created through the API. */
@ConfigMapping(prefix = "huddle.orgs")
public interface OrgConfig {

    /**
     * How many orgs one user may create through the API in any 24 hours; over it the answer is 429 with
     * Retry-After. Environment: {@code HUDDLE_ORGS_MAX_CREATED_PER_DAY}.
     */
    @WithDefault("20")
    int maxCreatedPerDay();

    /**
     * How many orgs one user may own (active owner memberships, however they came about) and still create another;
     * over it the answer is 409 {@code org-limit}. Environment: {@code HUDDLE_ORGS_MAX_OWNED}.
     */
    @WithDefault("100")
    int maxOwned();
}
