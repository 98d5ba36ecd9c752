package dev.huddle.billing.customers;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.huddle.billing.BillingFixtures.stripe;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.huddle.billing.BillingFixtures;
import dev.huddle.testing.StripeStub;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class BillingSessionResourceTest {

    /** An org whose admin is about to check out: its customer known, no subscription, an open session stubbed. */
    private record Buyer(UUID org, Tenants.TestUser admin, String customer, String session) {

        static Buyer withOpenSession(String name) {
            UUID org = Tenants.org(name);
            var admin = Tenants.memberOf(org, "admin");
            String customer = BillingFixtures.customerOf(org);
            stripe().subscriptions(customer);
            String session = StripeStub.id("cs_test");
            stubSession(org, customer, session, "https://checkout.stripe.com/c/pay/" + session, "open");
            return new Buyer(org, admin, customer, session);
        }
    }

    @Test
    void checkoutCreatesTheCustomerOnceAndBillsTheActiveMembers() {
        UUID org = Tenants.org("Buyer");
        var admin = Tenants.memberOf(org, "admin");
        Tenants.memberOf(org, "member");
        Tenants.memberOf(org, "member");
        String customer = stripe().customerCreatedAtCheckout(org);
        String url = "https://checkout.stripe.com/c/pay/cs_test_" + UUID.randomUUID();
        stubSession(org, customer, StripeStub.id("cs_test"), url, "open");

        given().auth().oauth2(admin.token()).when().post("/v1/billing/orgs/{orgId}/checkout-session", org)
                .then().statusCode(200).body("url", equalTo(url));
        given().auth().oauth2(admin.token()).when().post("/v1/billing/orgs/{orgId}/checkout-session", org)
                .then().statusCode(200).body("url", equalTo(url));

        assertEquals(customer, TestDatabase.value("SELECT stripe_customer_id FROM billing.customers WHERE org_id = ?", org));
        var creations = stripe().wireMock().find(postRequestedFor(urlPathEqualTo("/v1/customers"))
                .withRequestBody(containing(org.toString())));
        assertEquals(1, creations.size());
        assertEquals("customer-" + org, creations.get(0).getHeader("Idempotency-Key"));
        LoggedRequest checkout = stripe().wireMock().find(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing(org.toString()))).get(0);
        assertEquals("subscription", checkout.formParameters().get("mode").firstValue());
        assertEquals(org.toString(), checkout.formParameters().get("client_reference_id").firstValue());
        assertEquals(customer, checkout.formParameters().get("customer").firstValue());
        assertEquals("3", checkout.formParameters().get("line_items[0][quantity]").firstValue());
        assertEquals("price_test_seat", checkout.formParameters().get("line_items[0][price]").firstValue());
        assertEquals(1, sessionCreations(org).size());
    }

    /** A Checkout Session of the org as Stripe creates it (POST) and then answers it (GET), shaped as fixtures3.json. */
    private static void stubSession(UUID org, String customer, String id, String url, String status) {
        String session = """
                {"id": "%s", "object": "checkout.session", "mode": "subscription", "customer": "%s",
                 "client_reference_id": "%s", "url": %s, "status": "%s", "payment_status": "unpaid",
                 "created": %d, "expires_at": %d, "livemode": false, "metadata": {}, "subscription": null,
                 "success_url": "http://localhost:3000/billing?checkout=success",
                 "cancel_url": "http://localhost:3000/billing?checkout=cancel"}"""
                .formatted(id, customer, org, "open".equals(status) ? "\"" + url + "\"" : "null", status,
                        Instant.now().getEpochSecond(), Instant.now().plus(Duration.ofHours(24)).getEpochSecond());
        if ("open".equals(status)) {
            stripe().stub(post(urlPathEqualTo("/v1/checkout/sessions")).withRequestBody(containing(org.toString())),
                    StripeStub.json(session));
        }
        stripe().stub(get(urlPathEqualTo("/v1/checkout/sessions/" + id)), StripeStub.json(session));
    }

    private static List<LoggedRequest> sessionCreations(UUID org) {
        return stripe().wireMock().find(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing(org.toString())));
    }

    private static String checkout(Tenants.TestUser user, UUID org, int status) {
        return given().auth().oauth2(user.token()).when().post("/v1/billing/orgs/{orgId}/checkout-session", org)
                .then().statusCode(status).extract().path("url");
    }

    @Test
    void tenConcurrentCheckoutsShareOneOpenSession() throws Exception {
        Buyer buyer = Buyer.withOpenSession("Impatient buyer");
        UUID org = buyer.org();
        var admin = buyer.admin();
        String customer = buyer.customer();
        String sessionId = buyer.session();

        ExecutorService pool = Executors.newFixedThreadPool(10);
        Set<String> urls = new HashSet<>();
        try {
            List<Callable<String>> checkouts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                checkouts.add(() -> checkout(admin, org, 200));
            }
            for (Future<String> url : pool.invokeAll(checkouts)) {
                urls.add(url.get());
            }
        } finally {
            pool.shutdown();
        }

        assertEquals(Set.of("https://checkout.stripe.com/c/pay/" + sessionId), urls);
        assertEquals(1, sessionCreations(org).size());
        assertEquals(sessionId, TestDatabase.value(
                "SELECT stripe_session_id FROM billing.checkout_sessions WHERE org_id = ?", org));
    }

    @Test
    void aCompletedSessionIsNotOfferedAgainAndAnExpiredOneIsReplaced() {
        Buyer buyer = Buyer.withOpenSession("Returning buyer");
        UUID org = buyer.org();
        var admin = buyer.admin();
        String customer = buyer.customer();
        String first = buyer.session();
        checkout(admin, org, 200);

        // paid, and the webhook has not been processed yet
        stubSession(org, customer, first, null, "complete");
        checkout(admin, org, 409);

        // abandoned instead: Stripe expired it; a new one is made, under a new idempotency key
        stubSession(org, customer, first, null, "expired");
        String second = StripeStub.id("cs_test");
        stubSession(org, customer, second, "https://checkout.stripe.com/c/pay/" + second, "open");
        assertEquals("https://checkout.stripe.com/c/pay/" + second, checkout(admin, org, 200));
        List<LoggedRequest> creations = sessionCreations(org);
        assertEquals(2, creations.size());
        assertNotEquals(creations.get(0).getHeader("Idempotency-Key"), creations.get(1).getHeader("Idempotency-Key"));
    }

    @Test
    void anOpenSessionForOtherSeatsIsExpiredAndReplaced() {
        Buyer buyer = Buyer.withOpenSession("Growing buyer");
        UUID org = buyer.org();
        var admin = buyer.admin();
        String customer = buyer.customer();
        String first = buyer.session();
        checkout(admin, org, 200);

        Tenants.memberOf(org, "member");
        stripe().stub(post(urlPathEqualTo("/v1/checkout/sessions/" + first + "/expire")), StripeStub.json("""
                {"id": "%s", "object": "checkout.session", "mode": "subscription", "customer": "%s",
                 "client_reference_id": "%s", "url": null, "status": "expired", "livemode": false}"""
                .formatted(first, customer, org)));
        String second = StripeStub.id("cs_test");
        stubSession(org, customer, second, "https://checkout.stripe.com/c/pay/" + second, "open");

        assertEquals("https://checkout.stripe.com/c/pay/" + second, checkout(admin, org, 200));
        assertEquals(1, stripe().wireMock()
                .find(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions/" + first + "/expire"))).size());
        List<LoggedRequest> creations = sessionCreations(org);
        assertEquals(2, creations.size());
        assertEquals("2", creations.get(1).formParameters().get("line_items[0][quantity]").firstValue());
    }

    @Test
    void aLiveSubscriptionInStripeThatWeHaveNotSyncedYetRefusesCheckout() {
        UUID org = Tenants.org("Already paid");
        var admin = Tenants.memberOf(org, "admin");
        String customer = BillingFixtures.customerOf(org);
        stripe().subscription(customer, "active").stub();

        checkout(admin, org, 409);

        assertEquals(0, sessionCreations(org).size());
        assertEquals("active", BillingFixtures.subscriptionRow(org).get("status"));
    }

    @Test
    void portalOpensForTheOrgsCustomer() {
        UUID org = Tenants.org("Portal");
        var owner = Tenants.memberOf(org, "owner");
        String customer = BillingFixtures.customerOf(org);
        stripe().stub(post(urlPathEqualTo("/v1/billing_portal/sessions")).withRequestBody(containing(customer)),
                StripeStub.json("""
                        {"id": "bps_1", "object": "billing_portal.session", "customer": "%s", "livemode": false,
                         "return_url": "http://localhost:3000/billing", "url": "https://billing.stripe.com/p/session/x"}"""
                        .formatted(customer)));

        given().auth().oauth2(owner.token()).when().post("/v1/billing/orgs/{orgId}/portal-session", org)
                .then().statusCode(200).body("url", equalTo("https://billing.stripe.com/p/session/x"));
    }

    @Test
    void aMemberMayNotStartACheckout() {
        UUID org = Tenants.org("Members only");
        var member = Tenants.memberOf(org, "member");
        given().auth().oauth2(member.token()).when().post("/v1/billing/orgs/{orgId}/checkout-session", org)
                .then().statusCode(403).contentType("application/problem+json");
    }
}
