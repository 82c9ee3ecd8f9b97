package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/api.md §4 Events feed: shapes, order, inclusive markers, the type filter and the wait= long poll. */
class EventsConformanceIT extends ConformanceBase {

    @Test
    void joinAndRemoveEventsCarryTheServiceAsCreatedOldestFirst() {
        RegistryHttp http = freshTenant();
        long before = System.currentTimeMillis();
        http.post(
                "/services",
                json("id", "svc-ev", "heartbeat_timeout", 30, "tags", List.of("a"), "metadata", Map.of("k", "v")));
        http.delete("/services/svc-ev");
        long after = System.currentTimeMillis();
        Answer page = http.get("/events");
        assertStatus(200, page);
        List<JsonNode> events = values(page);
        assertEquals(
                List.of("service.join", "service.remove"),
                events.stream().map(e -> e.path("type").asText()).toList());
        JsonNode join = events.get(0);
        assertTrue(join.path("id").asText().matches("[0-9a-fA-F-]{36}"), join::toString);
        long stamp = join.path("timestamp").asLong();
        assertTrue(stamp >= before - 5 && stamp <= after + 5, join::toString);
        JsonNode payload = join.path("payload");
        assertEquals("svc-ev", payload.path("id").asText());
        assertEquals(30, payload.path("heartbeat_timeout").asInt());
        assertEquals("a", payload.path("tags").path(0).asText());
        assertEquals("v", payload.path("metadata").path("k").asText());
        assertEquals("svc-ev", events.get(1).path("payload").path("id").asText());
        assertTrue(page.json().has("metadata") && page.json().path("metadata").has("next_marker"), page::toString);
    }

    @Test
    void theTypeFilterReturnsOnlyThatType() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-f1", 30);
        createService(http, "svc-f2", 30);
        http.delete("/services/svc-f1");
        http.put("/configuration/key_f", json("value", "1"));
        assertEquals(2, values(http.get("/events?type=service.join")).size());
        assertEquals(1, values(http.get("/events?type=service.remove")).size());
        assertEquals(
                1, values(http.get("/events?type=configuration_value.update")).size());
        assertEquals(0, values(http.get("/events?type=service.timeout")).size());
    }

    @ParameterizedTest(name = "type={0} is refused")
    @ValueSource(strings = {"service.joined", "SERVICE.JOIN", "x", "service"})
    void anUnknownTypeIsABadRequest(String type) {
        JsonNode fault = assertFault(freshTenant().get("/events?type=" + type), 400, "badRequest");
        assertTrue(Faults.text(fault).contains("Invalid type"), fault::toString);
    }

    @ParameterizedTest(name = "marker={0} is refused")
    @ValueSource(strings = {"not-an-id", "123", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "%00"})
    void aMarkerThatIsNotAWellFormedIdIsABadRequest(String marker) {
        JsonNode fault = assertFault(freshTenant().get("/events?marker=" + marker), 400, "badRequest");
        assertTrue(Faults.text(fault).contains("marker"), fault::toString);
    }

    @Test
    void theMarkerIsInclusiveAndPagesFollowNextMarker() {
        RegistryHttp http = freshTenant();
        for (int i = 0; i < 5; i++) {
            createService(http, "svc-p" + i, 30);
        }
        List<JsonNode> all = values(http.get("/events"));
        assertEquals(5, all.size());
        String second = all.get(1).path("id").asText();
        List<JsonNode> fromSecond = values(http.get("/events?marker=" + second));
        assertEquals(4, fromSecond.size());
        assertEquals(second, fromSecond.get(0).path("id").asText());

        Answer page = http.get("/events?limit=2");
        assertEquals(2, values(page).size());
        String next = page.json().path("metadata").path("next_marker").asText();
        assertEquals(all.get(2).path("id").asText(), next);
        assertTrue(page.json().path("metadata").path("next_href").asText().contains("marker=" + next));
        Answer last = http.get("/events?limit=2&marker=" + all.get(3).path("id").asText());
        assertEquals(2, values(last).size());
        assertTrue(last.json().path("metadata").path("next_marker").isNull(), last::toString);
    }

    @Test
    void pagingByNextMarkerThroughConcurrentEventsSeesEachExactlyOnceInIdOrder() throws Exception {
        RegistryHttp http = freshTenant();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String key = "/paging/key_" + i;
                writes.add(pool.submit(() -> assertStatus(204, http.put("/configuration" + key, json("value", "v")))));
            }
            for (java.util.concurrent.Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        for (int page = 0; page < 100; page++) {
            Answer answer = http.get("/events?limit=7" + (marker == null ? "" : "&marker=" + marker));
            values(answer).forEach(e -> seen.add(e.path("id").asText()));
            marker = answer.json().path("metadata").path("next_marker").asText(null);
            if (marker == null) {
                break;
            }
        }
        assertEquals(300, seen.size(), "events seen over the pages");
        assertEquals(300, new java.util.HashSet<>(seen).size(), "an event seen twice");
        assertEquals(seen.stream().sorted().toList(), seen, "the feed is not in id order, so markers cannot page it");
    }

    @Test
    void eventTimestampsAndIdsAreInOrder() {
        RegistryHttp http = freshTenant();
        for (int i = 0; i < 20; i++) {
            createService(http, "svc-o" + i, 30);
        }
        List<JsonNode> all = values(http.get("/events"));
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).path("timestamp").asLong()
                    >= all.get(i - 1).path("timestamp").asLong());
            assertEquals("svc-o" + i, all.get(i).path("payload").path("id").asText());
        }
    }

    @Test
    void aLongPollReturnsAsSoonAsANewEventArrives() throws Exception {
        RegistryHttp http = freshTenant();
        createService(http, "svc-w0", 30);
        String marker = values(http.get("/events")).get(0).path("id").asText();
        long start = System.nanoTime();
        CompletableFuture<Answer> poll =
                CompletableFuture.supplyAsync(() -> http.get("/events?marker=" + marker + "&wait=20"));
        Await.holdsFor(Duration.ofMillis(500), () -> !poll.isDone(), "the long poll waits while nothing happens");
        createService(http, "svc-w1", 30);
        Answer answer = poll.get(5, TimeUnit.SECONDS);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertStatus(200, answer);
        assertTrue(elapsedMillis < 5_000, "answered after " + elapsedMillis + " ms");
        List<String> ids = values(answer).stream()
                .map(e -> e.path("payload").path("id").asText())
                .toList();
        assertTrue(ids.contains("svc-w1"), ids::toString);
    }

    @Test
    void aLongPollWithNothingNewAnswersAnEmptyPageAfterTheWait() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-idle", 30);
        String marker = values(http.get("/events")).get(0).path("id").asText();
        long start = System.nanoTime();
        Answer answer = http.get("/events?marker=" + marker + "&wait=2");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertStatus(200, answer);
        assertTrue(elapsedMillis >= 1_900 && elapsedMillis < 4_000, "answered after " + elapsedMillis + " ms");
        for (JsonNode event : values(answer)) {
            assertEquals(marker, event.path("id").asText(), "only the (inclusive) marker may come back: " + answer);
        }
    }

    @Test
    void manyLongPollsDoNotStarveOtherRequests() throws Exception {
        RegistryHttp http = freshTenant();
        createService(http, "svc-many-polls", 30);
        String marker = values(http.get("/events")).get(0).path("id").asText();
        int polls = 32;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(polls);
        try {
            List<CompletableFuture<Answer>> waiting = new ArrayList<>();
            for (int i = 0; i < polls; i++) {
                waiting.add(
                        CompletableFuture.supplyAsync(() -> http.get("/events?marker=" + marker + "&wait=4"), pool));
            }
            Await.holdsFor(
                    Duration.ofMillis(300),
                    () -> waiting.stream().noneMatch(CompletableFuture::isDone),
                    "the polls are parked");
            long start = System.nanoTime();
            assertStatus(200, http.get("/services"));
            assertStatus(201, http.post("/services", json("id", "svc-while-polling", "heartbeat_timeout", 30)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1_000, "normal requests took " + millis + " ms behind " + polls + " long polls");
            for (CompletableFuture<Answer> poll : waiting) {
                assertStatus(200, poll.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLongPollForAnotherTenantsEventDoesNotWakeUp() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-quiet", 30);
        String marker = values(http.get("/events")).get(0).path("id").asText();
        CompletableFuture<Answer> poll =
                CompletableFuture.supplyAsync(() -> http.get("/events?marker=" + marker + "&wait=2"));
        createService(freshTenant(), "svc-noise", 30);
        Answer answer = poll.join();
        for (JsonNode event : values(answer)) {
            assertEquals(marker, event.path("id").asText(), "another tenant's event leaked: " + answer);
        }
    }

    @ParameterizedTest(name = "wait={0} is refused")
    @ValueSource(strings = {"x", "-1", "61", "1.5"})
    void aWaitOutsideZeroToSixtySecondsIsABadRequest(String wait) {
        assertFault(freshTenant().get("/events?wait=" + wait), 400, "badRequest");
    }

    static List<JsonNode> values(Answer page) {
        assertStatus(200, page);
        List<JsonNode> values = new ArrayList<>();
        page.json().path("values").forEach(values::add);
        return values;
    }
}
