package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFaultShape;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md §9 Registro's time rules on the server's clock: {@code starting}/{@code up} turn {@code down} after
 * 90 s without a renewal, and an instance is removed 10 minutes after its last renewal, each checked
 * one millisecond before and at the limit. Also the comeback: a process that deregistered (DELETE:
 * out-of-service) and restarts under the same id registers again at once.
 */
class ClockedRegistroConformanceIT extends ClockedConformanceBase {
    private static final long DOWN_AFTER = 90_000;
    private static final long REMOVED_AFTER = 600_000;
    private static final AtomicInteger APPS = new AtomicInteger();

    private Answer call(String method, String path, String body) {
        return server.http()
                .send(method, "/registro/1.0" + path, body, body == null ? null : RegistryHttp.JSON, Map.of());
    }

    private String freshApp() {
        String app = "clocked" + APPS.incrementAndGet();
        assertStatus(201, call("POST", "/apps", json("name", app)));
        return app;
    }

    private JsonNode instance(String app, String id) {
        Answer answer = call("GET", "/apps/" + app + "/" + id, null);
        assertStatus(200, answer);
        return answer.json();
    }

    private String status(String app, String id) {
        return instance(app, id).path("status").asText();
    }

    private List<String> listed(String app) {
        List<String> ids = new ArrayList<>();
        call("GET", "/apps/" + app, null)
                .json()
                .path("instances")
                .forEach(i -> ids.add(i.path("id").asText()));
        return ids;
    }

    @Test
    void aStartingInstanceIsDownAfterNinetySecondsWithoutARenewal() {
        String app = freshApp();
        long registered = clock.millis();
        assertStatus(201, call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.5", "port", 8080)));
        clock.advanceTo(registered + DOWN_AFTER - 1);
        assertEquals("starting", status(app, "i-1"));
        clock.advanceTo(registered + DOWN_AFTER);
        assertEquals("down", status(app, "i-1"));
    }

    @Test
    void aRenewedInstanceIsUpForNinetySecondsThenDownAndARenewalBringsItBack() {
        String app = freshApp();
        assertStatus(201, call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.5", "port", 8080)));
        long renewed = clock.advance(Duration.ofSeconds(30));
        assertStatus(204, call("PUT", "/apps/" + app + "/i-1", null));
        assertEquals(renewed / 1000, instance(app, "i-1").path("lastRenewal").asLong(), "lastRenewal in epoch seconds");

        clock.advanceTo(renewed + DOWN_AFTER - 1);
        assertEquals("up", status(app, "i-1"));
        clock.advanceTo(renewed + DOWN_AFTER);
        assertEquals("down", status(app, "i-1"));

        long again = clock.advance(Duration.ofMinutes(5));
        assertStatus(204, call("PUT", "/apps/" + app + "/i-1", null));
        assertEquals("up", status(app, "i-1"));
        assertEquals(again / 1000, instance(app, "i-1").path("lastRenewal").asLong());
    }

    @Test
    void anInstanceIsRemovedTenMinutesAfterItsLastRenewalAndItsIdIsFreeAgain() {
        String app = freshApp();
        assertStatus(201, call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.5", "port", 8080)));
        long renewed = clock.advance(Duration.ofSeconds(10));
        assertStatus(204, call("PUT", "/apps/" + app + "/i-1", null));

        clock.advanceTo(renewed + REMOVED_AFTER - 1);
        assertEquals("down", status(app, "i-1"));
        assertEquals(List.of("i-1"), listed(app));

        clock.advanceTo(renewed + REMOVED_AFTER);
        assertFaultShape(call("GET", "/apps/" + app + "/i-1", null), 404);
        assertFaultShape(call("PUT", "/apps/" + app + "/i-1", null), 404);
        assertEquals(List.of(), listed(app));
        assertStatus(201, call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.9", "port", 9090)));
        assertEquals("starting", status(app, "i-1"));
    }

    @Test
    void anOutOfServiceInstanceStaysSoUntilItIsRemovedTenMinutesAfterItsLastRenewal() {
        String app = freshApp();
        long registered = clock.millis();
        assertStatus(201, call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.5", "port", 8080)));
        assertStatus(204, call("DELETE", "/apps/" + app + "/i-1", null));

        clock.advanceTo(registered + DOWN_AFTER);
        assertEquals("out-of-service", status(app, "i-1"), "out-of-service is not overridden by down");
        assertFaultShape(call("PUT", "/apps/" + app + "/i-1", null), 403);
        clock.advanceTo(registered + REMOVED_AFTER - 1);
        assertEquals("out-of-service", status(app, "i-1"));
        clock.advanceTo(registered + REMOVED_AFTER);
        assertFaultShape(call("GET", "/apps/" + app + "/i-1", null), 404);
    }

    @Test
    void aProcessThatDeregisteredComesBackUnderItsIdAtOnce() {
        String app = freshApp();
        long first = clock.millis();
        assertStatus(201, call("POST", "/apps/" + app, json("id", "worker-1", "ip", "10.0.0.5", "port", 8080)));
        assertStatus(204, call("PUT", "/apps/" + app + "/worker-1", null));
        assertStatus(204, call("DELETE", "/apps/" + app + "/worker-1", null)); // shutdown deregisters

        long comeback = clock.advance(Duration.ofSeconds(20)); // the restarted process, new port
        assertStatus(201, call("POST", "/apps/" + app, json("id", "worker-1", "ip", "10.0.0.5", "port", 8081)));
        JsonNode replaced = instance(app, "worker-1");
        assertEquals("starting", replaced.path("status").asText());
        assertEquals(8081, replaced.path("port").asInt());
        assertEquals(comeback / 1000, replaced.path("lastRenewal").asLong());
        assertStatus(204, call("PUT", "/apps/" + app + "/worker-1", null));
        assertEquals("up", status(app, "worker-1"));

        // The predecessor's 10-minute removal must not take the new registration with it.
        clock.advanceTo(first + REMOVED_AFTER);
        Await.holdsFor(Duration.ofMillis(300), () -> listed(app).equals(List.of("worker-1")), "the comeback stays");
        assertEquals(8081, instance(app, "worker-1").path("port").asInt());
    }

    @Test
    void aLiveOrDownInstanceStillRefusesASecondRegistrationOfItsId() {
        String app = freshApp();
        long registered = clock.millis();
        assertStatus(201, call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.5", "port", 8080)));
        assertFaultShape(call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.6", "port", 8081)), 409);
        clock.advanceTo(registered + DOWN_AFTER);
        assertEquals("down", status(app, "i-1"));
        assertFaultShape(call("POST", "/apps/" + app, json("id", "i-1", "ip", "10.0.0.6", "port", 8081)), 409);
        assertStatus(
                204, call("PUT", "/apps/" + app + "/i-1", null)); // the owner takes a down instance back by renewing
        assertEquals("up", status(app, "i-1"));
    }
}
