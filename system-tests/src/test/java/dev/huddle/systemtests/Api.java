package dev.huddle.systemtests;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;

import dev.huddle.testing.StripeStub;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Calls on the running services' public HTTP APIs, as clients and outside services make them. */
public final class Api {

    public static final String PROBLEM = "application/problem+json";

    /** Bodies sent byte for byte as given: a signature covers the exact bytes. */
    private static final RestAssuredConfig RAW = RestAssuredConfig.config().encoderConfig(
            EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private Api() {
    }

    /** A request to {@code service} as the holder of {@code token} (none when null). */
    public static RequestSpecification as(ServiceProcess service, String token) {
        RequestSpecification request = given().baseUri(service.baseUrl()).contentType(ContentType.JSON);
        return token == null ? request : request.auth().oauth2(token);
    }

    /** A Stripe webhook delivery of {@code event}, signed with stripe-java as Stripe signs it. */
    public static ValidatableResponse stripeWebhook(Stack stack, String event) {
        return given().config(RAW).baseUri(stack.billing.baseUrl()).contentType("application/json; charset=utf-8")
                .header("Stripe-Signature", StripeStub.sign(event)).body(event)
                .post("/webhooks/stripe").then();
    }

    /** A LiveKit webhook delivery of {@code body} to {@code path} on {@code service}, signed as LiveKit signs it. */
    public static ValidatableResponse livekitWebhook(ServiceProcess service, String path, String body) {
        return given().config(RAW).baseUri(service.baseUrl()).contentType(dev.huddle.testing.LiveKitSamples.CONTENT_TYPE)
                .header("Authorization", dev.huddle.testing.LiveKitSigner.sign(body, Stack.LIVEKIT_API_KEY,
                        Stack.LIVEKIT_API_SECRET, Duration.ofMinutes(5)))
                .body(body).post(path).then();
    }

    /** Waits for {@code condition}, up to {@code timeout}. */
    public static void await(String what, Duration timeout, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(200)).until(condition);
    }
}
