package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFaultShape;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** docs/api.md §9 The Registro dialect: apps, instances, renewals and out-of-service. */
class RegistroConformanceIT extends ConformanceBase {
    private static final AtomicInteger APPS = new AtomicInteger();

    private Answer call(String method, String path, String body) {
        return server.http()
                .send(method, "/registro/1.0" + path, body, body == null ? null : RegistryHttp.JSON, Map.of());
    }

    private String freshApp() {
        String app = "orders" + APPS.incrementAndGet();
        assertStatus(201, call("POST", "/apps", json("name", app)));
        return app;
    }

    @Test
    void creatingAnAppAnswers201AndAgain409() {
        String app = freshApp();
        assertFaultShape(call("POST", "/apps", json("name", app)), 409);
        JsonNode apps = call("GET", "/apps", null).json().path("applications");
        boolean listed = false;
        for (JsonNode a : apps) {
            listed |= app.equals(a.path("name").asText());
        }
        assertTrue(listed, apps::toString);
    }

    @Test
    void anAppWithoutANameIsABadRequest() {
        assertFaultShape(call("POST", "/apps", "{}"), 400);
    }

    @Test
    void aRegisteredInstanceStartsAsStartingWithItsAddress() {
        String app = freshApp();
        assertStatus(201, call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.5", "port", 8080)));
        JsonNode instance = call("GET", "/apps/" + app + "/i-1", null).json();
        assertEquals("i-1", instance.path("id").asText());
        assertEquals("10.0.0.5", instance.path("ip").asText());
        assertEquals(8080, instance.path("port").asInt());
        assertEquals("starting", instance.path("status").asText());
        JsonNode listed = call("GET", "/apps/" + app, null).json();
        assertEquals(app, listed.path("name").asText());
        assertEquals("i-1", listed.path("instances").path(0).path("id").asText());
    }

    @Test
    void aDuplicateInstanceIs409AndAMissingFieldIs400() {
        String app = freshApp();
        assertStatus(201, call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.5", "port", 8080)));
        assertFaultShape(call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.6", "port", 8081)), 409);
        assertFaultShape(call("POST", "/apps/" + app, json("id", "i-2", "port", 8080)), 400);
        assertFaultShape(call("POST", "/apps/" + app, json("id", "i-3", "ip", "10.0.0.5")), 400);
        assertFaultShape(call("POST", "/apps/" + app, json("ip", "10.0.0.5", "port", 8080)), 400);
    }

    @Test
    void aRenewalMakesTheInstanceUpAndStampsLastRenewalInSeconds() {
        String app = freshApp();
        call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.5", "port", 8080));
        long before = System.currentTimeMillis() / 1000;
        assertStatus(204, call("PUT", "/apps/" + app + "/i-1", null));
        long after = System.currentTimeMillis() / 1000;
        JsonNode instance = call("GET", "/apps/" + app + "/i-1", null).json();
        assertEquals("up", instance.path("status").asText());
        long renewal = instance.path("lastRenewal").asLong();
        assertTrue(renewal >= before && renewal <= after + 1, "lastRenewal " + renewal + " is not epoch seconds");
    }

    @Test
    void aDeletedInstanceIsOutOfServiceAndItsRenewalIsForbidden() {
        String app = freshApp();
        call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.5", "port", 8080));
        assertStatus(204, call("DELETE", "/apps/" + app + "/i-1", null));
        assertEquals(
                "out-of-service",
                call("GET", "/apps/" + app + "/i-1", null).json().path("status").asText());
        assertFaultShape(call("PUT", "/apps/" + app + "/i-1", null), 403);
    }

    @Test
    void unknownAppsAndInstancesAreNotFound() {
        String app = freshApp();
        assertFaultShape(call("GET", "/apps/no-such-app", null), 404);
        assertFaultShape(call("GET", "/apps/" + app + "/no-such-instance", null), 404);
        assertFaultShape(call("PUT", "/apps/" + app + "/no-such-instance", null), 404);
        assertFaultShape(call("POST", "/apps/no-such-app", json("id", "i-1", "ip", "10.0.0.5", "port", 8080)), 404);
    }
}
