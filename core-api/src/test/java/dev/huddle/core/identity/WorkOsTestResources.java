package dev.huddle.core.identity;

import io.quarkus.test.common.QuarkusTestResource;

/** The WorkOS stub for the whole core-api test run (one application for every test class, like the others). */
@QuarkusTestResource(WorkOsTestResource.class)
public class WorkOsTestResources {
}
