package io.autoreg.registry.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.testing.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * One open server per test class; every test takes a tenant of its own, so tests never see each
 * other's services, events or configuration and can run in any order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60) // a hung exchange fails its test instead of the whole build
public abstract class ConformanceBase {
    private static final AtomicInteger TENANTS = new AtomicInteger();
    protected ConformanceServer server;

    @BeforeAll
    void startServer() {
        server = launch();
    }

    /** The class's server: open, on the system clock, unless a suite needs another. */
    protected ConformanceServer launch() {
        return ConformanceServer.startOpen();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A view of a tenant no other test uses. */
    protected RegistryHttp freshTenant() {
        return server.http().tenant("t" + ProcessHandle.current().pid() + "-" + TENANTS.incrementAndGet());
    }

    /** Creates a service with its own timeout and answers its first token. */
    protected static String createService(RegistryHttp http, String id, int timeoutSeconds) {
        Answer created = http.post("/services", RegistryHttp.json("id", id, "heartbeat_timeout", timeoutSeconds));
        Faults.assertStatus(201, created);
        return created.json().path("token").asText();
    }

    /** The ids of a list envelope's values, in order. */
    protected static List<String> ids(Answer list) {
        List<String> ids = new ArrayList<>();
        for (JsonNode value : list.json().path("values")) {
            ids.add(value.path("id").asText());
        }
        return ids;
    }

    /** All events of one type (first page of up to 1000), oldest first. */
    protected static List<JsonNode> events(RegistryHttp http, String type) {
        Answer page = http.get("/events?limit=1000&type=" + type);
        assertEquals(200, page.status(), () -> "events: " + page);
        List<JsonNode> events = new ArrayList<>();
        page.json().path("values").forEach(events::add);
        return events;
    }

    /**
     * Waits (bounded) until at least one service.timeout event names {@code id}, then answers them all:
     * a read hides an expired service at once, but the event may be written up to 1 s after the deadline.
     */
    protected static List<JsonNode> awaitTimeoutEvents(RegistryHttp http, String id, java.time.Duration bound) {
        Await.until(
                bound, () -> !eventsAbout(http, "service.timeout", id).isEmpty(), "a service.timeout event for " + id);
        return eventsAbout(http, "service.timeout", id);
    }

    /** Events of a type whose payload names the given service or configuration id. */
    protected static List<JsonNode> eventsAbout(RegistryHttp http, String type, String id) {
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode event : events(http, type)) {
            JsonNode payload = event.path("payload");
            if (id.equals(payload.path("id").asText(null))
                    || id.equals(payload.path("configuration_value_id").asText(null))) {
                matching.add(event);
            }
        }
        return matching;
    }
}
