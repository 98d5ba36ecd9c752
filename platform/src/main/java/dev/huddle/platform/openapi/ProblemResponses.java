package dev.huddle.platform.openapi;

import java.util.ArrayList;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.tenancy.OrgAccessFilter;

/**
 * Documents what every API operation shares, once, so each contract shows it without repeating it on every
 * resource: the bearer token, and the problem+json answers of the guard and the error mappers (400 bad input,
 * 401 no valid token, 404 for org-scoped paths: not a member, or no such thing, 500 with an incident id).
 * <p>
 * An operation that declares no security scheme ({@code @SecurityRequirementsSet({})}: the sign-in routes, which
 * mint tokens) is public: it gets neither the bearer requirement nor the generic 401, and its contract says
 * {@code security: []} (no token).
 */
public class ProblemResponses implements OASFilter {

    private static final String BEARER = "bearer";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        components.addSchema("Problem", problemSchema());
        components.addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("A WorkOS AuthKit access token"));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (!path.startsWith("/v1/")) {
                return;
            }
            boolean orgScoped = path.contains("{" + OrgAccessFilter.ORG_ID_PARAM + "}");
            for (Map.Entry<PathItem.HttpMethod, Operation> op : item.getOperations().entrySet()) {
                Operation operation = op.getValue();
                boolean publicOperation = isPublic(operation);
                if (publicOperation) {
                    operation.setSecurity(new ArrayList<>());
                } else {
                    operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER));
                }
                APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses()
                        : operation.getResponses();
                operation.setResponses(responses);
                // a cookie (the sign-in routes' refresh token) is not input that can be malformed
                boolean takesInput = operation.getRequestBody() != null
                        || (operation.getParameters() != null && operation.getParameters().stream()
                                .anyMatch(p -> p.getIn() != Parameter.In.COOKIE))
                        || path.contains("{");
                if (takesInput) {
                    addIfAbsent(responses, "400", "Malformed or invalid input");
                }
                if (!publicOperation) {
                    addIfAbsent(responses, "401", "No valid access token");
                }
                if (orgScoped) {
                    addIfAbsent(responses, "404", "Not found, or not an active member of the organization");
                }
                addIfAbsent(responses, "500", "A fault of ours; the detail names an incident id");
            }
        });
    }

    /** Declared with security requirements, none of which names a scheme: {@code []} or {@code [{}]}. */
    private static boolean isPublic(Operation operation) {
        return operation.getSecurity() != null && operation.getSecurity().stream()
                .allMatch(requirement -> requirement.getSchemes() == null || requirement.getSchemes().isEmpty());
    }

    private static void addIfAbsent(APIResponses responses, String code, String description) {
        if (responses.hasAPIResponse(code)) {
            return;
        }
        responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")))));
    }

    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .examples(java.util.List.of("body.name")))
                .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .examples(java.util.List.of("must not be blank")));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .examples(java.util.List.of("urn:huddle:problem:not-found")))
                .addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string)
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(fieldError))
                .addRequired("type").addRequired("title").addRequired("status");
    }
}
