package dev.huddle.systemtests;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import dev.huddle.testing.ContractMatrix;
import dev.huddle.testing.Tenants.TestUser;
import io.restassured.specification.RequestSpecification;

/**
 * The contract matrix of one running service ({@link ContractMatrix}): its served contract, generated into calls by
 * other orgs, a deactivated member, no token and an expired one, a plain member on admin routes, its own org with
 * another org's child ids, and bad input, each sent to the packaged service's port with tokens the WorkOS stub signs.
 * The gate is enforced on the running system, so the matrix's orgs are entitled and a never-paid org meets 402 where
 * the contract says so. A failure names the operation, the caller and the service, with that service's log tail.
 * <p>
 * CI runs a quick, deterministic part ({@link Scope#QUICK}); {@code -Dhuddle.system-tests.matrix=full} runs it all.
 */
@ExtendWith(SystemStack.class)
abstract class SystemContractMatrix extends ContractMatrix {

    /** How much of the matrix a run covers. */
    enum Scope {
        /** Every caller on every operation, and bad input but what only the shared JSON reading refuses. */
        QUICK,
        /** Everything the matrix generates. */
        FULL;

        static Scope ofThisRun() {
            return System.getProperty("huddle.system-tests.matrix", "quick").equalsIgnoreCase("full") ? FULL : QUICK;
        }
    }

    /** The bad bodies the shared JSON reading refuses, by the end of their tests' names. */
    private static final List<String> JSON_READING = List.of(" with an array", " with an unknown field", " with a NUL",
            " with a lone surrogate");

    private Stack stack;
    private boolean settled;

    /** The running service whose contract this matrix covers. */
    protected abstract ServiceProcess service(Stack stack);

    @BeforeAll
    void startedSystem(Stack stack) {
        this.stack = stack;
    }

    @Override
    protected RequestSpecification request() {
        return given().baseUri(service(stack).baseUrl());
    }

    @Override
    protected String token(TestUser user) {
        return stack.workos.token(user.workosUserId(), Duration.ofMinutes(10));
    }

    @Override
    protected String expiredToken(TestUser user) {
        return stack.workos.token(user.workosUserId(), Duration.ofMinutes(-5));
    }

    @Override
    protected boolean gateEnforced() {
        return true;
    }

    @Override
    protected boolean digestsOnlyTheComparedOrgs() {
        return true;
    }

    @Override
    protected DynamicTest test(String caller, Operation op, String name, Executable body) {
        ServiceProcess service = service(stack);
        return DynamicTest.dynamicTest(service.module() + ": " + name, () -> {
            Assumptions.assumeTrue(Scope.ofThisRun() == Scope.FULL || quick(caller, name),
                    "left to the full run (-Dhuddle.system-tests.matrix=full)");
            awaitSettled();
            stack.step(name + " as " + caller, service, () -> {
                try {
                    body.execute();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            });
        });
    }

    /**
     * Whether the quick run covers this test: every caller on every operation, and bad input but for the bodies that
     * only the shared strict JSON reading refuses (an array, an unknown field, a NUL, a lone surrogate), which each
     * service's in-process matrix covers. Valid requests (as the owner, as a plain member) are left to the full run.
     */
    private static boolean quick(String caller, String name) {
        if (caller.equals("the owner") || caller.equals("the member")) {
            return false;
        }
        return !caller.equals("the owner with bad input") || JSON_READING.stream().noneMatch(name::endsWith);
    }

    /**
     * Once, before the first comparison: waits until the compared orgs' rows stop changing (background work the
     * matrix's own arrangements may start, such as a first seat sync of its entitled orgs).
     */
    private void awaitSettled() {
        if (settled) {
            return;
        }
        AtomicReference<Map<String, String>> last = new AtomicReference<>(snapshot());
        Awaitility.await("the matrix's orgs settled at " + service(stack).module()).atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ofSeconds(1)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    Map<String, String> now = snapshot();
                    return Objects.equals(now, last.getAndSet(now));
                });
        settled = true;
    }
}
