package dev.huddle.realtime;

import java.util.Map;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Answers Centrifugo's {@code POST /api/batch} like Centrifugo does: HTTP 200 with one reply per command. Transformer
 * parameters {@code channelErrors} (channel -> code) and {@code keyErrors} (idempotency key -> code) make matching
 * publish commands fail with {@code {"error": {code, message}}}; everything else succeeds.
 */
public class CentrifugoApiStub implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "centrifugo-api";

    @Override
    @SuppressWarnings("unchecked")
    public ResponseDefinition transform(ServeEvent event) {
        var parameters = event.getTransformerParameters();
        Map<String, Object> channelErrors = (Map<String, Object>) parameters.getOrDefault("channelErrors", Map.of());
        Map<String, Object> keyErrors = (Map<String, Object>) parameters.getOrDefault("keyErrors", Map.of());
        JsonObject request = new JsonObject(event.getRequest().getBodyAsString());
        JsonArray replies = new JsonArray();
        long offset = 0;
        for (Object c : request.getJsonArray("commands", new JsonArray())) {
            JsonObject command = (JsonObject) c;
            JsonObject publish = command.getJsonObject("publish");
            Object code = null;
            if (publish != null) {
                code = keyErrors.get(publish.getString("idempotency_key"));
                if (code == null) {
                    code = channelErrors.get(publish.getString("channel"));
                }
            }
            if (code != null) {
                replies.add(new JsonObject().put("error", new JsonObject()
                        .put("code", Integer.parseInt(code.toString())).put("message", "stubbed error")));
            } else if (publish != null) {
                replies.add(new JsonObject().put("publish", new JsonObject().put("offset", ++offset).put("epoch", "e")));
            } else {
                replies.add(new JsonObject().put(command.fieldNames().iterator().next(), new JsonObject()));
            }
        }
        return ResponseDefinitionBuilder.like(event.getResponseDefinition()).but()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(new JsonObject().put("replies", replies).encode())
                .build();
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
