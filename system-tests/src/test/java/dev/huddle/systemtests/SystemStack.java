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
        if (failure.getMessage() == null || !failure.getMessage().startsWith("step '")) {
            failure.addSuppressed(new AssertionError("service logs:\n" + stack(context).logTails(40)));
        }
        throw failure;
    }

    private static Stack stack(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Stack.class, k -> Stack.start(), Stack.class);
    }
}
