package dev.huddle.core.workos;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The contract of every operation that makes its change in WorkOS first says, in one wording, how it answers when
 * WorkOS fails ({@link WorkOsProblems}): 502 and 503, nothing changed. Its resource method is marked with
 * {@code @Extension(name = WorkOsResponses.CALLS_WORKOS, value = "true")}; the mark itself is not part of the
 * contract (the filter removes it from the operation and from the responses the scanner also gave it to).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class WorkOsResponses implements OASFilter {

    /** The extension that marks an operation calling WorkOS; removed from the contract. */
    public static final String CALLS_WORKOS = "x-huddle-calls-workos";

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getExtensions() == null || !operation.getExtensions().containsKey(CALLS_WORKOS)) {
            return operation;
        }
        operation.removeExtension(CALLS_WORKOS);
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        // the scanner hands a method's extensions to its declared responses as well
        responses.removeExtension(CALLS_WORKOS);
        if (responses.getAPIResponses() != null) {
            responses.getAPIResponses().values().forEach(response -> response.removeExtension(CALLS_WORKOS));
        }
        addIfAbsent(responses, "502", "WorkOS answered something unusable; nothing was changed");
        addIfAbsent(responses, "503", "WorkOS did not answer or asked to wait; nothing was changed");
        return operation;
    }

    private static void addIfAbsent(APIResponses responses, String code, String description) {
        if (!responses.hasAPIResponse(code)) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
        }
    }
}
