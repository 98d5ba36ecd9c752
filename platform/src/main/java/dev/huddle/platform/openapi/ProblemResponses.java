package dev.huddle.platform.openapi;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.HttpMethod;

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

import dev.huddle.platform.gate.GateConfig;
import dev.huddle.platform.gate.SubscriptionGate;
import dev.huddle.platform.http.HttpLimits;
import dev.huddle.platform.problem.Problem;
import dev.huddle.platform.tenancy.OrgAccessFilter;
import dev.huddle.platform.tenancy.RequiresAdmin;
import dev.huddle.platform.tenancy.RequiresOwner;
import dev.huddle.platform.tenancy.Role;

/**
 * Documents what every API operation shares, once, so each contract shows it without repeating it on every
 * resource: the bearer token, and the problem+json answers of the guard, the subscription gate, the HTTP limits and
 * the error mappers. They are derived from what the operation is, so a new endpoint gets them right by construction:
 * <ul>
 * <li>400 bad input, for an operation that takes any (a body, a parameter, a path id);</li>
 * <li>401 no valid token, unless public;</li>
 * <li>402 not entitled, for an org-scoped operation the {@link SubscriptionGate} guards (all but the exempt
 * paths);</li>
 * <li>403 role too low, for an operation whose guard annotation ({@link RequiresAdmin}, {@link RequiresOwner})
 * asks more than membership; the role it asks is the operation's {@value #ROLE_EXTENSION};</li>
 * <li>404 for org-scoped paths: not a member, or no such thing;</li>
 * <li>413 for an operation that takes a body, 414 for one that takes query parameters ({@link HttpLimits});</li>
 * <li>500 with an incident id.</li>
 * <li>503 while the database is unreachable (when the operation has no 503 of its own).</li>
 * </ul>
 * What only the operation knows (its success status, a 409, a 503 of an outside service) it declares itself with
 * {@code @APIResponse}; a response it declares is kept as it is.
 * <p>
 * The guard annotations are read from the resource method named by the operation id, which
 * {@code quarkus.smallrye-openapi.operation-id-strategy=package-class-method} makes
 * {@code <class>_<method>}; the id has no other use and is removed. This filter runs at build time
 * ({@code mp.openapi.filter}), where the application's classes are at hand.
 * <p>
 * An operation that declares no security scheme ({@code @SecurityRequirementsSet({})}: the sign-in routes, which
 * mint tokens) is public: it gets neither the bearer requirement nor the generic 401, and its contract says
 * {@code security: []} (no token).
 */
public class ProblemResponses implements OASFilter {

    private static final String BEARER = "bearer";

    private static final String TOO_LARGE = "The body is larger than the limit (payload-too-large)";

    /** The least role an org-scoped operation needs ({@code member}, {@code admin}, {@code owner}), in its contract. */
    public static final String ROLE_EXTENSION = "x-huddle-role";

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
                // webhooks and proxies declare their own answers, but the body limit applies to them too
                item.getOperations().values().forEach(operation -> {
                    requiredRole(operation);
                    if (operation.getRequestBody() != null && operation.getResponses() != null) {
                        addIfAbsent(operation.getResponses(), "413", TOO_LARGE);
                    }
                });
                return;
            }
            boolean orgScoped = path.contains("{" + OrgAccessFilter.ORG_ID_PARAM + "}");
            boolean gated = orgScoped && Arrays.stream(GateConfig.DEFAULT_EXEMPT_PATHS.split(",")).noneMatch(path::startsWith);
            for (Map.Entry<PathItem.HttpMethod, Operation> op : item.getOperations().entrySet()) {
                Operation operation = op.getValue();
                Role role = requiredRole(operation);
                boolean publicOperation = isPublic(operation);
                if (publicOperation) {
                    operation.setSecurity(new ArrayList<>());
                } else {
                    operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER));
                }
                APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses()
                        : operation.getResponses();
                operation.setResponses(responses);
                // a cookie (the sign-in routes' refresh token) or a free-form path segment (a Stripe event id) is not
                // input that can be malformed; a body, a query or header parameter, a typed path id can
                boolean takesInput = operation.getRequestBody() != null
                        || (operation.getParameters() != null && operation.getParameters().stream()
                                .anyMatch(p -> p.getIn() == Parameter.In.QUERY || p.getIn() == Parameter.In.HEADER
                                        || p.getIn() == Parameter.In.PATH && !isFreeText(p.getSchema())))
                        || orgScoped;
                if (takesInput) {
                    addIfAbsent(responses, "400", "Malformed or invalid input");
                }
                if (!publicOperation) {
                    addIfAbsent(responses, "401", "No valid access token");
                }
                if (gated) {
                    addIfAbsent(responses, "402", "The organization's subscription does not entitle it "
                            + "(subscription-required; only when the subscription gate is enforced)");
                }
                if (role != null) {
                    operation.addExtension(ROLE_EXTENSION, role.value());
                }
                if (role != null && role != Role.MEMBER) {
                    addIfAbsent(responses, "403", "Needs the " + role.value() + " role in the organization");
                }
                if (orgScoped) {
                    addIfAbsent(responses, "404", "Not found, or not an active member of the organization");
                }
                if (operation.getRequestBody() != null) {
                    addIfAbsent(responses, "413", TOO_LARGE);
                }
                if (operation.getParameters() != null
                        && operation.getParameters().stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY)) {
                    addIfAbsent(responses, "414", "The request target is too long (uri-too-long)");
                }
                addIfAbsent(responses, "500", "A fault of ours; the detail names an incident id");
                addIfAbsent(responses, "503", "Unavailable for a moment (the database is unreachable): retry after "
                        + "Retry-After seconds");
            }
        });
    }

    /**
     * The role the operation's guard annotation asks for, read from the resource method its id names (see the class
     * comment); null when it has none, or when its method cannot be found. The id is removed either way.
     */
    private static Role requiredRole(Operation operation) {
        String id = operation.getOperationId();
        int separator = id == null ? -1 : id.lastIndexOf('_');
        if (separator < 0) {
            return null;
        }
        try {
            Class<?> resource = Class.forName(id.substring(0, separator), false,
                    Thread.currentThread().getContextClassLoader());
            operation.setOperationId(null);
            String name = id.substring(separator + 1);
            for (Method method : resource.getMethods()) {
                if (method.getName().equals(name) && isOperation(method)) {
                    Role role = Role.requiredBy(method);
                    return role != null ? role : Role.requiredBy(resource);
                }
            }
            return null;
        } catch (ClassNotFoundException e) {
            // an id given by hand, not by the strategy: keep it
            return null;
        }
    }

    private static boolean isOperation(Method method) {
        return Arrays.stream(method.getAnnotations())
                .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class));
    }

    /** A string of any form: no type but string, no format, no pattern, no reference to a typed schema. */
    private static boolean isFreeText(Schema schema) {
        return schema == null || schema.getRef() == null && schema.getFormat() == null && schema.getPattern() == null
                && (schema.getType() == null || schema.getType().equals(List.of(Schema.SchemaType.STRING)));
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
                        .examples(java.util.List.of("name")))
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
