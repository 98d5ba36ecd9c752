package dev.huddle.systemtests;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives tests the one {@link Stack} of the run (started on first use, closed when the run ends), and adds every
 * service's log tail to a failure that no {@link Stack#step} attributed to one service.
 */
public final class SystemStack implements ParameterResolver, TestExecutionExceptionHandler {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Stack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Stack stack = stack(context);
        // a test that failed between a kill and its restart leaves the next one a whole system
        stack.startStopped();
        return stack;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Started started = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).get(Started.class,
                Started.class);
        if (started != null && started.stack() != null) {
            throw withLogs(started.stack(), failure);
        }
        throw failure;
    }

    /** {@code failure}, with every service's log tail added unless a {@link Stack#step} attributed it to one. */
    static <T extends Throwable> T withLogs(Stack stack, T failure) {
        boolean attributed = failure.getMessage() != null && failure.getMessage().startsWith("step '");
        if (!attributed) {
            failure.addSuppressed(new AssertionError("service logs:\n" + stack.logTails(40)));
        }
        return failure;
    }

    private static Stack stack(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Started.class, k -> Started.attempt(), Started.class).get();
    }

    /** The run's one attempt to start the stack: a stack that did not start fails every test at once, unretried. */
    private record Started(Stack stack, Throwable failure) implements ExtensionContext.Store.CloseableResource {

        static Started attempt() {
            try {
                return new Started(Stack.start(), null);
            } catch (RuntimeException | Error e) {
                return new Started(null, e);
            }
        }

        Stack get() {
            if (failure != null) {
                throw new AssertionError("the system did not start: " + failure.getMessage(), failure);
            }
            return stack;
        }

        @Override
        public void close() {
            if (stack != null) {
                stack.close();
            }
        }
    }
}
