package dev.huddle.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The one piece of Stripe state tests need to converge: subscription item quantities. A stub with this
 * transformer and parameter {@code item} either records the quantity POSTed to it, or (for a GET) replaces
 * {@code "__QTY__"} in its body with the item's current quantity (parameter {@code quantity} until one is set).
 */
public class StripeState implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "stripe-state";

    private static final Map<String, Long> QUANTITIES = new ConcurrentHashMap<>();

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        ResponseDefinition response = event.getResponseDefinition();
        var parameters = event.getTransformerParameters();
        String item = parameters.getString("item");
        if ("POST".equals(event.getRequest().getMethod().getName())) {
            var quantity = event.getRequest().formParameters().get("quantity");
            if (quantity != null) {
                QUANTITIES.put(item, Long.parseLong(quantity.firstValue()));
            }
        }
        long current = QUANTITIES.computeIfAbsent(item, i -> Long.parseLong(parameters.getString("quantity", "1")));
        return ResponseDefinitionBuilder.like(response).but()
                .withBody(response.getBody().replace("\"__QTY__\"", String.valueOf(current)))
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
