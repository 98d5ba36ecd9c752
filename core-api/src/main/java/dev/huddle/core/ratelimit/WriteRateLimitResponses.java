package dev.huddle.core.ratelimit;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;

import dev.huddle.platform.problem.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/** The contract of every write the {@link WriteRateLimitFilter} counts says it may answer 429 with Retry-After. */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class WriteRateLimitResponses implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : item.getOperations().entrySet()) {
                Operation operation = op.getValue();
                if (!WriteRateLimitFilter.limited(op.getKey().name(), path) || operation.getResponses() == null
                        || operation.getResponses().hasAPIResponse("429")) {
                    continue;
                }
                operation.getResponses().addAPIResponse("429", OASFactory.createAPIResponse()
                        .description("Too many writes by the caller in the organization "
                                + "(huddle.rate-limits.writes.*); nothing was written: retry after Retry-After seconds")
                        .addHeader("Retry-After", OASFactory.createHeader()
                                .description("Seconds until a write is accepted again")
                                .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)))
                        .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")))));
            }
        });
    }
}
