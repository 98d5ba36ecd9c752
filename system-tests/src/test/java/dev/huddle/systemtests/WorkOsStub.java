package dev.huddle.systemtests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import dev.huddle.testing.TokenMinter;

/**
 * Stands in for WorkOS: the JWKS of this run's signing key at {@code /sso/jwks/<client>} (tokens are real RS256,
 * from {@link TokenMinter}), and the Events API ({@code GET /events}, oldest first, paged by {@code after}) through
 * which core-api learns the users: a user exists for the services once core-api's sync has read its
 * {@code user.created}.
 */
public final class WorkOsStub implements AutoCloseable {

    public static final String CLIENT_ID = "client_01SYSTEMTEST";
    public static final String API_KEY = "sk_test_workos_system";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server;
    private final TokenMinter minter = TokenMinter.generate();
    private final List<ObjectNode> events = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    private int seq;

    WorkOsStub() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(get(urlEqualTo("/sso/jwks/" + CLIENT_ID)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(minter.jwksJson())));
        serveEvents();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The {@code iss} of AuthKit access tokens for this client. */
    public String issuer() {
        return baseUrl() + "/user_management/" + CLIENT_ID;
    }

    public WireMockServer server() {
        return server;
    }

    /** A user WorkOS announces ({@code user.created}); core-api knows them once its sync has read the event. */
    public synchronized User createUser(String firstName) {
        String id = "user_01" + run + "U" + (++seq);
        String email = firstName.toLowerCase() + "-" + seq + "-" + run.toLowerCase() + "@example.test";
        ObjectNode user = JSON.createObjectNode().put("object", "user").put("id", id).put("email", email)
                .put("email_verified", true).put("first_name", firstName).put("last_name", "System")
                .putNull("profile_picture_url").putNull("last_sign_in_at").putNull("external_id")
                .put("created_at", Instant.now().toString()).put("updated_at", Instant.now().toString());
        ObjectNode event = JSON.createObjectNode().put("object", "event")
                .put("id", String.format("event_01%s%05d", run, seq)).put("event", "user.created")
                .put("created_at", Instant.now().toString());
        event.set("data", user);
        events.add(event);
        serveEvents();
        return new User(id, email, minter.mint(issuer(), id, Duration.ofHours(2)));
    }

    /** WorkOS's Events API answers 503 until the returned stub is removed ({@link #server()}). */
    public StubMapping eventsDown() {
        return server.stubFor(get(urlPathEqualTo("/events")).atPriority(1).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"message\": \"Service Unavailable\"}")));
    }

    /** Calls the Events API got. */
    public int eventsCalls() {
        return server.findAll(getRequestedFor(urlPathEqualTo("/events"))).size();
    }

    /**
     * A token AuthKit would have issued to the WorkOS user {@code workosUserId}, valid for {@code validity} (negative:
     * expired that long ago).
     */
    public String token(String workosUserId, Duration validity) {
        return minter.mint(issuer(), workosUserId, validity);
    }

    /** A token for {@code user} that expired a minute ago. */
    public String expiredToken(User user) {
        return minter.mint(issuer(), user.workosId(), Duration.ofMinutes(-1));
    }

    /** Serves the events as the Events API does: after any of their ids (or none), the rest, oldest first. */
    private void serveEvents() {
        for (int i = 0; i <= events.size(); i++) {
            ArrayNode data = JSON.createArrayNode();
            events.subList(i, events.size()).forEach(data::add);
            ObjectNode page = JSON.createObjectNode().put("object", "list");
            page.set("data", data);
            ObjectNode metadata = page.putObject("list_metadata").putNull("before");
            if (events.size() > i) {
                metadata.put("after", events.get(events.size() - 1).get("id").asText());
            } else {
                metadata.putNull("after");
            }
            server.stubFor(get(urlPathEqualTo("/events"))
                    .withHeader("Authorization", equalTo("Bearer " + API_KEY))
                    .withQueryParam("order", equalTo("asc"))
                    .withQueryParam("after", i == 0 ? absent() : equalTo(events.get(i - 1).get("id").asText()))
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(page.toString())));
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A WorkOS user, with an access token AuthKit would have issued them. */
    public record User(String workosId, String email, String token) {
    }
}
