package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.testing.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md §2/§3 Expiry on the server's clock, at the exact edges: alive one millisecond before the deadline,
 * gone at it, exactly one {@code service.timeout} stamped with the deadline, written within one
 * (real) second of the clock reaching it.
 */
class ClockedExpiryConformanceIT extends ClockedConformanceBase {
    /** Removal must happen within one second of the deadline (docs/api.md §3). */
    private static final Duration WITHIN = Duration.ofSeconds(1);

    @Test
    void aServiceIsAliveOneMillisecondBeforeItsDeadlineAndGoneAtItWithOneTimeoutEvent() {
        RegistryHttp http = freshTenant();
        long created = clock.millis();
        createService(http, "svc-edge", 10);

        clock.advanceTo(created + 9_999);
        assertStatus(200, http.get("/services/svc-edge"));
        assertEquals(List.of("svc-edge"), ids(http.get("/services")));

        clock.advanceTo(created + 10_000);
        assertFault(http.get("/services/svc-edge"), 404, "notFoundError");
        assertEquals(List.of(), ids(http.get("/services")));
        List<JsonNode> timeouts = awaitTimeoutEvents(http, "svc-edge", WITHIN);
        assertEquals(1, timeouts.size(), timeouts::toString);
        assertEquals(created + 10_000, timeouts.get(0).path("timestamp").asLong(), "stamped with the deadline");

        clock.advance(Duration.ofMinutes(5));
        Await.holdsFor(
                Duration.ofMillis(300),
                () -> eventsAbout(http, "service.timeout", "svc-edge").size() == 1,
                "still exactly one service.timeout");
        assertEquals(0, eventsAbout(http, "service.remove", "svc-edge").size());
    }

    @Test
    void aHeartbeatMovesTheDeadlineToItsOwnTimePlusTheTimeout() {
        RegistryHttp http = freshTenant();
        long created = clock.millis();
        String token = createService(http, "svc-beat", 10);

        clock.advanceTo(created + 6_000);
        Answer beat = http.post("/services/svc-beat/heartbeat", json("token", token));
        assertStatus(200, beat);
        assertEquals(
                created + 6_000,
                http.get("/services/svc-beat").json().path("last_seen").asLong());

        clock.advanceTo(created + 15_999);
        assertStatus(200, http.get("/services/svc-beat"));
        assertEquals(0, eventsAbout(http, "service.timeout", "svc-beat").size());

        clock.advanceTo(created + 16_000);
        assertFault(http.get("/services/svc-beat"), 404, "notFoundError");
        List<JsonNode> timeouts = awaitTimeoutEvents(http, "svc-beat", WITHIN);
        assertEquals(1, timeouts.size(), timeouts::toString);
        assertEquals(created + 16_000, timeouts.get(0).path("timestamp").asLong());
    }

    @Test
    void aHeartbeatAtTheDeadlineIsTooLate() {
        RegistryHttp http = freshTenant();
        long created = clock.millis();
        String token = createService(http, "svc-late", 3);

        clock.advanceTo(created + 3_000);
        assertFault(http.post("/services/svc-late/heartbeat", json("token", token)), 404, "notFoundError");
        assertEquals(1, awaitTimeoutEvents(http, "svc-late", WITHIN).size());
    }

    @Test
    void anExpiredSessionTakesItsServicesWithItOneTimeoutEventEachStampedWithItsDeadline() {
        RegistryHttp http = freshTenant();
        long created = clock.millis();
        Answer session = http.post("/sessions", json("heartbeat_timeout", 5));
        assertStatus(201, session);
        String sessionPath = session.header("Location").orElseThrow().replaceFirst("^.*?/sessions/", "/sessions/");
        String sessionId = sessionPath.substring("/sessions/".length());
        String token = session.json().path("token").asText();
        assertStatus(201, http.post("/services", json("id", "in-session-a", "session_id", sessionId)));
        assertStatus(201, http.post("/services", json("id", "in-session-b", "session_id", sessionId)));

        clock.advanceTo(created + 2_000);
        assertStatus(200, http.post(sessionPath + "/heartbeat", json("token", token)));
        assertEquals(
                created + 2_000, http.get(sessionPath).json().path("last_seen").asLong());

        clock.advanceTo(created + 6_999);
        assertStatus(200, http.get(sessionPath));
        assertEquals(List.of("in-session-a", "in-session-b"), ids(http.get("/services")));

        clock.advanceTo(created + 7_000);
        assertFault(http.get(sessionPath), 404, "notFoundError");
        assertEquals(List.of(), ids(http.get("/services")));
        for (String id : List.of("in-session-a", "in-session-b")) {
            List<JsonNode> timeouts = awaitTimeoutEvents(http, id, WITHIN);
            assertEquals(1, timeouts.size(), timeouts::toString);
            assertEquals(
                    created + 7_000, timeouts.get(0).path("timestamp").asLong(), "stamped with the session's deadline");
            assertEquals(
                    sessionId,
                    timeouts.get(0).path("payload").path("session_id").asText());
        }
    }

    @Test
    void aLongJumpExpiresEveryServiceItPassesInOneGo() {
        RegistryHttp http = freshTenant();
        long created = clock.millis();
        for (int i = 0; i < 20; i++) {
            createService(http, "svc-bulk-" + (100 + i), 3 + i);
        }
        clock.advanceTo(created + 12_999);
        assertEquals(10, ids(http.get("/services")).size(), "timeouts 13..22 s are still alive");

        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(), ids(http.get("/services")));
        Await.until(WITHIN, () -> events(http, "service.timeout").size() == 20, "20 service.timeout events");
        for (JsonNode event : events(http, "service.timeout")) {
            long timeout = event.path("payload").path("heartbeat_timeout").asLong();
            assertEquals(created + timeout * 1000, event.path("timestamp").asLong(), event::toString);
        }
        assertTrue(eventsAbout(http, "service.remove", "svc-bulk-100").isEmpty());
    }
}
