package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/api.md §3 Services: create, read, update, delete, duplicates, the tag filter. */
class ServicesConformanceIT extends ConformanceBase {

    @Test
    void creatingAServiceWithItsOwnTimeoutAnswers201WithLocationAndAUuidToken() {
        RegistryHttp http = freshTenant();
        Answer created = http.post(
                "/services",
                json(
                        "id",
                        "dfw1-db1",
                        "heartbeat_timeout",
                        30,
                        "tags",
                        List.of("db", "mysql"),
                        "metadata",
                        Map.of("region", "dfw")));
        assertStatus(201, created);
        assertTrue(created.header("Location").orElse("").endsWith(http.path("/services/dfw1-db1")), created::toString);
        String token = created.json().path("token").asText();
        assertTrue(token.matches("[0-9a-fA-F-]{36}"), token);
    }

    @Test
    void aServiceReadsBackWithItsFieldsAndNoLastSeenBeforeTheFirstHeartbeat() {
        RegistryHttp http = freshTenant();
        http.post(
                "/services",
                json(
                        "id",
                        "dfw1-api",
                        "heartbeat_timeout",
                        30,
                        "tags",
                        List.of("api"),
                        "metadata",
                        Map.of("port", "8080")));
        JsonNode service = http.get("/services/dfw1-api").json();
        assertEquals("dfw1-api", service.path("id").asText());
        assertEquals(30, service.path("heartbeat_timeout").asInt());
        assertEquals("api", service.path("tags").path(0).asText());
        assertEquals("8080", service.path("metadata").path("port").asText());
        assertTrue(service.has("last_seen") && service.path("last_seen").isNull(), service::toString);
        assertFalse(service.has("session_id") && !service.path("session_id").isNull(), service::toString);
    }

    @Test
    void lastSeenIsTheTimeOfTheLastHeartbeatInMilliseconds() {
        RegistryHttp http = freshTenant();
        String token = createService(http, "svc-seen", 30);
        long before = System.currentTimeMillis();
        assertStatus(200, http.post("/services/svc-seen/heartbeat", json("token", token)));
        long after = System.currentTimeMillis();
        long lastSeen = http.get("/services/svc-seen").json().path("last_seen").asLong();
        assertTrue(lastSeen >= before - 5 && lastSeen <= after + 5, before + " <= " + lastSeen + " <= " + after);
    }

    @Test
    void theListShowsCreatesUpdatesAndDeletesAtOnce() {
        RegistryHttp http = freshTenant();
        for (int i = 0; i < 5; i++) {
            String id = "svc-fresh-" + i;
            createService(http, id, 60);
            assertTrue(ids(http.get("/services")).contains(id), "a created service missing from the list");
            assertStatus(204, http.put("/services/" + id, json("tags", List.of("changed"))));
            assertEquals("changed", listed(http, id).path("tags").path(0).asText(), "the list shows old tags");
            assertStatus(204, http.delete("/services/" + id));
            assertTrue(!ids(http.get("/services")).contains(id), "a deleted service still listed");
        }
    }

    @Test
    void theListShowsLastSeenOfTheLatestHeartbeatAtOnce() {
        RegistryHttp http = freshTenant();
        String token = createService(http, "svc-seen-listed", 60);
        assertTrue(listed(http, "svc-seen-listed").path("last_seen").isNull());
        assertStatus(200, http.post("/services/svc-seen-listed/heartbeat", json("token", token)));
        JsonNode single = http.get("/services/svc-seen-listed").json();
        assertEquals(
                single.path("last_seen"),
                listed(http, "svc-seen-listed").path("last_seen"),
                "the list disagrees with GET /services/svc-seen-listed about last_seen after a heartbeat");
    }

    private static JsonNode listed(RegistryHttp http, String id) {
        for (JsonNode service : http.get("/services?limit=1000").json().path("values")) {
            if (id.equals(service.path("id").asText())) {
                return service;
            }
        }
        throw new AssertionError(id + " not listed");
    }

    @Test
    void aDuplicateIdIsServiceWithThisIdExistsNever409() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-dup", 30);
        assertFault(
                http.post("/services", json("id", "svc-dup", "heartbeat_timeout", 30)), 400, "serviceWithThisIdExists");
    }

    @Test
    void anUnknownServiceIsNotFoundNamingService() {
        RegistryHttp http = freshTenant();
        JsonNode fault = assertFault(http.get("/services/no-such-svc"), 404, "notFoundError");
        assertEquals("Object does not exist", fault.path("message").asText());
        assertTrue(fault.path("details").asText().contains("Service"), fault::toString);
        assertTrue(fault.path("details").asText().contains("no-such-svc"), fault::toString);
    }

    @Test
    void aServiceNeedsExactlyOneOfHeartbeatTimeoutAndSessionId() {
        RegistryHttp http = freshTenant();
        assertFault(http.post("/services", json("id", "svc-neither")), 400, "badRequest");
        String session = SessionsConformanceIT.createSession(http, 30);
        assertFault(
                http.post("/services", json("id", "svc-both", "heartbeat_timeout", 30, "session_id", session)),
                400,
                "badRequest");
        assertStatus(404, http.get("/services/svc-both"));
    }

    @Test
    void anUpdateIsPartialAndAnswers204WithLocation() {
        RegistryHttp http = freshTenant();
        http.post(
                "/services",
                json("id", "svc-upd", "heartbeat_timeout", 30, "tags", List.of("old"), "metadata", Map.of("k", "v")));
        Answer updated = http.put("/services/svc-upd", json("tags", List.of("new", "newer")));
        assertStatus(204, updated);
        assertTrue(updated.header("Location").orElse("").endsWith(http.path("/services/svc-upd")), updated::toString);
        JsonNode service = http.get("/services/svc-upd").json();
        assertEquals("new", service.path("tags").path(0).asText());
        assertEquals("newer", service.path("tags").path(1).asText());
        assertEquals("v", service.path("metadata").path("k").asText());
        assertEquals(30, service.path("heartbeat_timeout").asInt());

        assertStatus(204, http.put("/services/svc-upd", json("heartbeat_timeout", 60, "metadata", Map.of("a", "b"))));
        service = http.get("/services/svc-upd").json();
        assertEquals(60, service.path("heartbeat_timeout").asInt());
        assertEquals("b", service.path("metadata").path("a").asText());
        assertFalse(service.path("metadata").has("k"), service::toString);
        assertEquals(2, service.path("tags").size());
    }

    @Test
    void anUpdateOfAnUnknownServiceIsNotFound() {
        RegistryHttp http = freshTenant();
        assertFault(http.put("/services/no-such-svc", json("tags", List.of("x"))), 404, "notFoundError");
    }

    @Test
    void theIdIsImmutable() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-immutable", 30);
        assertFault(http.put("/services/svc-immutable", json("id", "svc-other")), 400, "badRequest");
        assertStatus(200, http.get("/services/svc-immutable"));
        assertStatus(404, http.get("/services/svc-other"));
    }

    @Test
    void deletingAServiceAnswers204AndWritesOneRemoveEvent() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-del", 30);
        assertStatus(204, http.delete("/services/svc-del"));
        assertFault(http.get("/services/svc-del"), 404, "notFoundError");
        assertFault(http.delete("/services/svc-del"), 404, "notFoundError");
        List<JsonNode> removes = eventsAbout(http, "service.remove", "svc-del");
        assertEquals(1, removes.size(), removes::toString);
        assertEquals(
                30, removes.get(0).path("payload").path("heartbeat_timeout").asInt());
    }

    @Test
    void theListIsOrderedById() {
        RegistryHttp http = freshTenant();
        for (String id : List.of("svc-c", "svc-a", "svc-b")) {
            createService(http, id, 30);
        }
        Answer list = http.get("/services");
        assertStatus(200, list);
        assertEquals(List.of("svc-a", "svc-b", "svc-c"), ids(list));
        JsonNode meta = list.json().path("metadata");
        assertEquals(3, meta.path("count").asInt());
        assertEquals(100, meta.path("limit").asInt());
        assertTrue(
                meta.path("marker").isNull()
                        && meta.path("next_marker").isNull()
                        && meta.path("next_href").isNull(),
                meta::toString);
    }

    @Test
    void theTagFilterMatchesOneTagExactlyIncludingTagsTheIdRuleWouldRefuse() {
        RegistryHttp http = freshTenant();
        http.post("/services", json("id", "svc-t1", "heartbeat_timeout", 30, "tags", List.of("web server", "eu/west")));
        http.post("/services", json("id", "svc-t2", "heartbeat_timeout", 30, "tags", List.of("web")));
        http.post("/services", json("id", "svc-t3", "heartbeat_timeout", 30, "tags", List.of("Web", "grüße")));
        assertEquals(List.of("svc-t2"), ids(http.get("/services?tag=web")));
        assertEquals(List.of("svc-t1"), ids(http.get("/services?tag=web%20server")));
        assertEquals(List.of("svc-t1"), ids(http.get("/services?tag=eu%2Fwest")));
        assertEquals(List.of("svc-t3"), ids(http.get("/services?tag=gr%C3%BC%C3%9Fe")));
        assertEquals(List.of(), ids(http.get("/services?tag=we")));
    }

    @Test
    void racingCreatesOfOneIdMakeExactlyOneService() throws Exception {
        RegistryHttp http = freshTenant();
        int racers = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Answer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return http.post("/services", json("id", "svc-contended", "heartbeat_timeout", 30));
                }));
            }
            start.countDown();
            int created = 0;
            for (java.util.concurrent.Future<Answer> answer : answers) {
                Answer a = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
                if (a.status() == 201) {
                    created++;
                } else {
                    assertFault(a, 400, "serviceWithThisIdExists");
                }
            }
            assertEquals(1, created);
            assertEquals(1, eventsAbout(http, "service.join", "svc-contended").size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nextHrefEncodesATagWithReservedCharacters() {
        RegistryHttp http = freshTenant();
        for (String id : List.of("svc-r1", "svc-r2", "svc-r3")) {
            http.post("/services", json("id", id, "heartbeat_timeout", 30, "tags", List.of("a&b=c d#e")));
        }
        Answer page = http.get("/services?tag=a%26b%3Dc%20d%23e&limit=2");
        assertEquals(List.of("svc-r1", "svc-r2"), ids(page));
        String href = page.json().path("metadata").path("next_href").asText();
        java.net.URI next = java.net.URI.create(href);
        Answer rest = http.send(
                "GET",
                java.net.URI.create(http.root() + next.getRawPath() + "?" + next.getRawQuery()),
                null,
                null,
                Map.of());
        assertEquals(List.of("svc-r3"), ids(rest), href);
    }

    @Test
    void tenantsAreIsolated() {
        RegistryHttp mine = freshTenant();
        RegistryHttp theirs = freshTenant();
        createService(mine, "svc-private", 30);
        assertFault(theirs.get("/services/svc-private"), 404, "notFoundError");
        assertEquals(List.of(), ids(theirs.get("/services")));
        assertEquals(List.of(), events(theirs, "service.join"), "another tenant's events leaked");
        assertStatus(201, theirs.post("/services", json("id", "svc-private", "heartbeat_timeout", 30)));
        assertEquals(1, events(mine, "service.join").size());
    }
}
