package dev.huddle.billing.customers;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.huddle.billing.StripeStub;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class BillingSessionResourceTest {

    private static String stubCustomerCreation(UUID org) {
        String customer = StripeStub.id("cus");
        StripeStub.stub(post(urlPathEqualTo("/v1/customers")).withRequestBody(containing(org.toString())),
                StripeStub.json("""
                        {"id": "%s", "object": "customer", "balance": 0, "created": 1721948530, "livemode": false,
                         "metadata": {"org_id": "%s"}, "preferred_locales": [], "tax_exempt": "none"}"""
                        .formatted(customer, org)));
        return customer;
    }

    @Test
    void checkoutCreatesTheCustomerOnceAndBillsTheActiveMembers() {
        UUID org = Tenants.org("Buyer");
        var admin = Tenants.memberOf(org, "admin");
        Tenants.memberOf(org, "member");
        Tenants.memberOf(org, "member");
        String customer = stubCustomerCreation(org);
        String url = "https://checkout.stripe.com/c/pay/cs_test_" + UUID.randomUUID();
        StripeStub.stub(post(urlPathEqualTo("/v1/checkout/sessions")).withRequestBody(containing(org.toString())),
                StripeStub.json("""
                        {"id": "cs_test_1", "object": "checkout.session", "mode": "subscription", "customer": "%s",
                         "client_reference_id": "%s", "url": "%s", "status": "open"}""".formatted(customer, org, url)));

        given().auth().oauth2(admin.token()).when().post("/v1/billing/orgs/{orgId}/checkout-session", org)
                .then().statusCode(200).body("url", equalTo(url));
        given().auth().oauth2(admin.token()).when().post("/v1/billing/orgs/{orgId}/checkout-session", org)
                .then().statusCode(200);

        assertEquals(customer, TestDatabase.value("SELECT stripe_customer_id FROM billing.customers WHERE org_id = ?", org));
        var creations = StripeStub.wireMock().find(postRequestedFor(urlPathEqualTo("/v1/customers"))
                .withRequestBody(containing(org.toString())));
        assertEquals(1, creations.size());
        assertEquals("customer-" + org, creations.get(0).getHeader("Idempotency-Key"));
        LoggedRequest checkout = StripeStub.wireMock().find(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))
                .withRequestBody(containing(org.toString()))).get(0);
        assertEquals("subscription", checkout.formParameters().get("mode").firstValue());
        assertEquals(org.toString(), checkout.formParameters().get("client_reference_id").firstValue());
        assertEquals(customer, checkout.formParameters().get("customer").firstValue());
        assertEquals("3", checkout.formParameters().get("line_items[0][quantity]").firstValue());
        assertEquals("price_test_seat", checkout.formParameters().get("line_items[0][price]").firstValue());
    }

    @Test
    void portalOpensForTheOrgsCustomer() {
        UUID org = Tenants.org("Portal");
        var owner = Tenants.memberOf(org, "owner");
        String customer = StripeStub.customerOf(org);
        StripeStub.stub(post(urlPathEqualTo("/v1/billing_portal/sessions")).withRequestBody(containing(customer)),
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
