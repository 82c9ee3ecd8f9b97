package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertFault;
import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.testing.Await;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** docs/api.md §3 Tokens: one live token per service, rotation, and the two Fixes (owner binding, delete). */
class HeartbeatTokenConformanceIT extends ConformanceBase {

    @Test
    void aHeartbeatConsumesItsTokenAndAnswersTheNextOne() {
        RegistryHttp http = freshTenant();
        String t0 = createService(http, "svc-rotate", 30);
        Answer beat = http.post("/services/svc-rotate/heartbeat", json("token", t0));
        assertStatus(200, beat);
        String t1 = beat.json().path("token").asText();
        assertEquals(36, t1.length(), t1);
        assertNotEquals(t0, t1);
        JsonNode fault =
                assertFault(http.post("/services/svc-rotate/heartbeat", json("token", t0)), 404, "notFoundError");
        assertTrue(fault.path("details").asText().contains("HeartbeatMarker"), fault::toString);
        Answer next = http.post("/services/svc-rotate/heartbeat", json("token", t1));
        assertStatus(200, next);
        assertNotEquals(t1, next.json().path("token").asText());
    }

    @Test
    void aReusedTokenDoesNotSpoilTheCurrentOne() {
        RegistryHttp http = freshTenant();
        String t0 = createService(http, "svc-reuse", 30);
        String t1 = http.post("/services/svc-reuse/heartbeat", json("token", t0))
                .json()
                .path("token")
                .asText();
        assertStatus(404, http.post("/services/svc-reuse/heartbeat", json("token", t0)));
        assertStatus(200, http.post("/services/svc-reuse/heartbeat", json("token", t1)));
    }

    @Test
    void aTokenRacedByManyHeartbeatsIsConsumedExactlyOnce() throws Exception {
        RegistryHttp http = freshTenant();
        String token = createService(http, "svc-race", 30);
        int racers = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Answer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return http.post("/services/svc-race/heartbeat", json("token", token));
                }));
            }
            start.countDown();
            int ok = 0;
            for (java.util.concurrent.Future<Answer> answer : answers) {
                Answer a = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
                if (a.status() == 200) {
                    ok++;
                } else {
                    assertFault(a, 404, "notFoundError");
                }
            }
            assertEquals(1, ok, "heartbeats that consumed the one token");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTokenIsValidOnlyForTheServiceItWasIssuedTo() {
        RegistryHttp http = freshTenant();
        String tokenA = createService(http, "svc-owner-a", 30);
        String tokenB = createService(http, "svc-owner-b", 30);
        JsonNode fault =
                assertFault(http.post("/services/svc-owner-b/heartbeat", json("token", tokenA)), 404, "notFoundError");
        assertTrue(fault.path("details").asText().contains("HeartbeatMarker"), fault::toString);
        assertStatus(200, http.post("/services/svc-owner-a/heartbeat", json("token", tokenA)));
        assertStatus(200, http.post("/services/svc-owner-b/heartbeat", json("token", tokenB)));
    }

    @Test
    void aTokenOfAnotherTenantsServiceWithTheSameIdIsForeign() {
        RegistryHttp mine = freshTenant();
        RegistryHttp theirs = freshTenant();
        String myToken = createService(mine, "svc-same-id", 30);
        createService(theirs, "svc-same-id", 30);
        assertFault(theirs.post("/services/svc-same-id/heartbeat", json("token", myToken)), 404, "notFoundError");
        assertStatus(200, mine.post("/services/svc-same-id/heartbeat", json("token", myToken)));
    }

    @Test
    void aSessionTokenIsNotAServiceToken() {
        RegistryHttp http = freshTenant();
        Answer session = http.post("/sessions", json("heartbeat_timeout", 30));
        String sessionToken = session.json().path("token").asText();
        createService(http, "svc-not-session", 30);
        assertFault(
                http.post("/services/svc-not-session/heartbeat", json("token", sessionToken)), 404, "notFoundError");
    }

    @Test
    void anUnknownTokenIsNotFoundNamingHeartbeatMarker() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-unknown-token", 30);
        JsonNode fault = assertFault(
                http.post(
                        "/services/svc-unknown-token/heartbeat",
                        json("token", UUID.randomUUID().toString())),
                404,
                "notFoundError");
        assertTrue(fault.path("details").asText().contains("HeartbeatMarker"), fault::toString);
    }

    @Test
    void aHeartbeatForAnUnknownServiceIsNotFoundNamingService() {
        RegistryHttp http = freshTenant();
        JsonNode fault = assertFault(
                http.post(
                        "/services/svc-never/heartbeat",
                        json("token", UUID.randomUUID().toString())),
                404,
                "notFoundError");
        assertTrue(fault.path("details").asText().contains("Service"), fault::toString);
    }

    @Test
    void aHeartbeatWithoutATokenIsABadRequest() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-no-token", 30);
        assertFault(http.post("/services/svc-no-token/heartbeat", "{}"), 400, "badRequest");
        assertFault(http.post("/services/svc-no-token/heartbeat", "{\"token\":42}"), 400, "badRequest");
    }

    @Test
    void deletingAServiceInvalidatesItsToken() {
        RegistryHttp http = freshTenant();
        String old = createService(http, "svc-reborn", 30);
        assertStatus(204, http.delete("/services/svc-reborn"));
        String fresh = createService(http, "svc-reborn", 30);
        assertNotEquals(old, fresh);
        JsonNode fault =
                assertFault(http.post("/services/svc-reborn/heartbeat", json("token", old)), 404, "notFoundError");
        assertTrue(fault.path("details").asText().contains("HeartbeatMarker"), fault::toString);
        assertStatus(200, http.post("/services/svc-reborn/heartbeat", json("token", fresh)));
    }

    @Test
    void aServiceRecreatedWithTheSameIdIsNotTimedOutByItsPredecessorsDeadline() {
        RegistryHttp http = freshTenant();
        long predecessorCreated = System.currentTimeMillis();
        createService(http, "svc-phoenix", 3);
        assertStatus(204, http.delete("/services/svc-phoenix"));
        createService(http, "svc-phoenix", 60);
        // Watch past the predecessor's deadline plus the 1 s removal allowance.
        long watchMillis = predecessorCreated + 3_000 + 1_500 - System.currentTimeMillis();
        Await.holdsFor(
                Duration.ofMillis(Math.max(watchMillis, 0)),
                () -> http.get("/services/svc-phoenix").status() == 200,
                "re-created svc-phoenix still present");
        assertEquals(0, eventsAbout(http, "service.timeout", "svc-phoenix").size());
        assertEquals(
                60,
                http.get("/services/svc-phoenix")
                        .json()
                        .path("heartbeat_timeout")
                        .asInt());
    }
}
