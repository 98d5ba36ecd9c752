package dev.huddle.systemtests;

import java.util.Map;
import java.util.UUID;

import dev.huddle.testing.Tenants.TestUser;

/**
 * realtime-bridge's contract matrix on the running system; no operation takes a child id of an org (channels are
 * reached through Centrifugo's subscribe proxy).
 */
class RealtimeBridgeMatrixIT extends SystemContractMatrix {

    @Override
    protected ServiceProcess service(Stack stack) {
        return stack.realtime;
    }

    @Override
    protected Map<String, String> fixtures(UUID org, TestUser owner) {
        return Map.of();
    }
}
