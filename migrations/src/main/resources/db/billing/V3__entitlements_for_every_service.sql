-- The subscription gate runs in every service (platform's SubscriptionGate), so every service's role reads the
-- entitlement view. core_app was granted it in V1; billing_app owns it.
GRANT SELECT ON billing.org_entitlements TO realtime_app, recordings_app;
GRANT USAGE ON SCHEMA billing TO realtime_app, recordings_app;
