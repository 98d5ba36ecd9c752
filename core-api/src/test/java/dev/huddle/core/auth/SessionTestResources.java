package dev.huddle.core.auth;

import io.quarkus.test.common.QuarkusTestResource;

/** Sign-in configuration for the whole core-api test run (one application for every test class). */
@QuarkusTestResource(SessionTestResource.class)
public class SessionTestResources {
}
