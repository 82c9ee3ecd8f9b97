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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/api.md §2 Sessions: the session generation, and services that live and die with their session. */
class SessionsConformanceIT extends ConformanceBase {

    /** Creates a session and answers its id (taken from the Location header). */
    static String createSession(RegistryHttp http, int timeoutSeconds) {
        Answer created = http.post("/sessions", json("heartbeat_timeout", timeoutSeconds));
        assertStatus(201, created);
        String location = created.header("Location").orElseThrow(() -> new AssertionError("no Location: " + created));
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @Test
    void creatingASessionAnswers201WithLocationAndAToken() {
        RegistryHttp http = freshTenant();
        Answer created = http.post("/sessions", json("heartbeat_timeout", 30, "metadata", Map.of("region", "dfw")));
        assertStatus(201, created);
        String location = created.header("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertTrue(location.endsWith(http.path("/sessions/" + id)), location);
        assertTrue(id.matches("se[A-Za-z0-9]{8}"), id);
        assertEquals(36, created.json().path("token").asText().length(), created::toString);
    }

    @Test
    void aSessionReadsBackWithItsFieldsAndNoLastSeenBeforeTheFirstHeartbeat() {
        RegistryHttp http = freshTenant();
        Answer created = http.post("/sessions", json("heartbeat_timeout", 30, "metadata", Map.of("region", "dfw")));
        String location = created.header("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        JsonNode session = http.get("/sessions/" + id).json();
        assertEquals(id, session.path("id").asText());
        assertEquals(30, session.path("heartbeat_timeout").asInt());
        assertEquals("dfw", session.path("metadata").path("region").asText());
        assertTrue(session.has("last_seen") && session.path("last_seen").isNull(), session::toString);

        long before = System.currentTimeMillis();
        assertStatus(
                200,
                http.post(
                        "/sessions/" + id + "/heartbeat",
                        json("token", created.json().path("token").asText())));
        long lastSeen = http.get("/sessions/" + id).json().path("last_seen").asLong();
        assertTrue(lastSeen >= before - 5 && lastSeen <= System.currentTimeMillis() + 5, "last_seen " + lastSeen);
    }

    @Test
    void sessionsAreListedInTheEnvelopeOrderedById() {
        RegistryHttp http = freshTenant();
        String a = createSession(http, 30);
        String b = createSession(http, 30);
        String c = createSession(http, 30);
        Answer list = http.get("/sessions");
        assertStatus(200, list);
        assertEquals(List.of(a, b, c).stream().sorted().toList(), ids(list));
        assertEquals(3, list.json().path("metadata").path("count").asInt());
        Answer first = http.get("/sessions?limit=1");
        assertEquals(1, ids(first).size());
        assertEquals(
                ids(list).get(1),
                first.json().path("metadata").path("next_marker").asText());
    }

    @Test
    void theSessionListShowsTheLastHeartbeatAtOnce() {
        RegistryHttp http = freshTenant();
        Answer created = http.post("/sessions", json("heartbeat_timeout", 30));
        String id = created.header("Location").orElseThrow().replaceAll(".*/", "");
        assertEquals(1, ids(http.get("/sessions")).size());
        assertStatus(
                200,
                http.post(
                        "/sessions/" + id + "/heartbeat",
                        json("token", created.json().path("token").asText())));
        JsonNode single = http.get("/sessions/" + id).json();
        JsonNode listed = http.get("/sessions").json().path("values").path(0);
        assertEquals(single.path("last_seen"), listed.path("last_seen"), "the session list disagrees with GET");
    }

    @Test
    void anUnknownSessionIsNotFound() {
        RegistryHttp http = freshTenant();
        assertFault(http.get("/sessions/seAAAAAAAA"), 404, "notFoundError");
        assertFault(http.put("/sessions/seAAAAAAAA", json("heartbeat_timeout", 30)), 404, "notFoundError");
        assertFault(http.delete("/sessions/seAAAAAAAA"), 404, "notFoundError");
        assertFault(
                http.post("/sessions/seAAAAAAAA/heartbeat", json("token", "00000000-0000-0000-0000-000000000000")),
                404,
                "notFoundError");
    }

    @Test
    void anUpdateIsPartialAndAnswers204WithLocation() {
        RegistryHttp http = freshTenant();
        Answer created = http.post("/sessions", json("heartbeat_timeout", 30, "metadata", Map.of("a", "1")));
        String location = created.header("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        Answer updated = http.put("/sessions/" + id, json("heartbeat_timeout", 60));
        assertStatus(204, updated);
        assertTrue(updated.header("Location").orElse("").endsWith(http.path("/sessions/" + id)), updated::toString);
        JsonNode session = http.get("/sessions/" + id).json();
        assertEquals(60, session.path("heartbeat_timeout").asInt());
        assertEquals("1", session.path("metadata").path("a").asText());
        assertStatus(204, http.put("/sessions/" + id, json("metadata", Map.of("b", "2"))));
        assertEquals(
                "2",
                http.get("/sessions/" + id).json().path("metadata").path("b").asText());
        assertEquals(
                60, http.get("/sessions/" + id).json().path("heartbeat_timeout").asInt());
    }

    @Test
    void aSessionHeartbeatRotatesItsToken() {
        RegistryHttp http = freshTenant();
        Answer created = http.post("/sessions", json("heartbeat_timeout", 30));
        String id = created.header("Location").orElseThrow().replaceAll(".*/", "");
        String t0 = created.json().path("token").asText();
        Answer beat = http.post("/sessions/" + id + "/heartbeat", json("token", t0));
        assertStatus(200, beat);
        String t1 = beat.json().path("token").asText();
        assertNotEquals(t0, t1);
        JsonNode fault =
                assertFault(http.post("/sessions/" + id + "/heartbeat", json("token", t0)), 404, "notFoundError");
        assertTrue(fault.path("details").asText().contains("HeartbeatMarker"), fault::toString);
        assertStatus(200, http.post("/sessions/" + id + "/heartbeat", json("token", t1)));
    }

    @Test
    void aSessionTokenIsValidOnlyForItsOwnSession() {
        RegistryHttp http = freshTenant();
        Answer a = http.post("/sessions", json("heartbeat_timeout", 30));
        String b = createSession(http, 30);
        assertFault(
                http.post(
                        "/sessions/" + b + "/heartbeat",
                        json("token", a.json().path("token").asText())),
                404,
                "notFoundError");
    }

    @Test
    void aServiceInASessionAnswersAnEmptyBodyAndNamesItsSession() {
        RegistryHttp http = freshTenant();
        String session = createSession(http, 30);
        Answer created =
                http.post("/services", json("id", "svc-in-session", "session_id", session, "tags", List.of("x")));
        assertStatus(201, created);
        assertEquals(0, created.json().size(), created::toString);
        JsonNode service = http.get("/services/svc-in-session").json();
        assertEquals(session, service.path("session_id").asText());
        assertTrue(
                !service.has("heartbeat_timeout")
                        || service.path("heartbeat_timeout").isNull(),
                service::toString);
        List<JsonNode> joins = eventsAbout(http, "service.join", "svc-in-session");
        assertEquals(1, joins.size());
        assertEquals(session, joins.get(0).path("payload").path("session_id").asText());
    }

    @Test
    void aServiceCannotJoinAnUnknownSessionOrOneOfAnotherTenant() {
        RegistryHttp http = freshTenant();
        String foreign = createSession(freshTenant(), 30);
        // The spec leaves the code open; a 404 naming the Session, alike for both, leaks nothing across tenants.
        JsonNode unknown = assertFault(
                http.post("/services", json("id", "svc-orphan", "session_id", "seZZZZZZZZ")), 404, "notFoundError");
        assertTrue(unknown.path("details").asText().contains("Session"), unknown::toString);
        JsonNode other = assertFault(
                http.post("/services", json("id", "svc-orphan", "session_id", foreign)), 404, "notFoundError");
        assertTrue(other.path("details").asText().contains("Session"), other::toString);
        assertStatus(404, http.get("/services/svc-orphan"));
    }

    @Test
    void deletingASessionRemovesItsServicesWithARemoveEventEach() {
        RegistryHttp http = freshTenant();
        String session = createSession(http, 30);
        String other = createSession(http, 30);
        http.post("/services", json("id", "svc-s1", "session_id", session));
        http.post("/services", json("id", "svc-s2", "session_id", session));
        http.post("/services", json("id", "svc-s3", "session_id", other));
        assertStatus(204, http.delete("/sessions/" + session));
        assertFault(http.get("/sessions/" + session), 404, "notFoundError");
        assertEquals(List.of("svc-s3"), ids(http.get("/services")));
        assertEquals(1, eventsAbout(http, "service.remove", "svc-s1").size());
        assertEquals(1, eventsAbout(http, "service.remove", "svc-s2").size());
        assertEquals(0, eventsAbout(http, "service.remove", "svc-s3").size());
    }

    @Test
    void anExpiredSessionTakesItsServicesWithItEachWithATimeoutEvent() {
        RegistryHttp http = freshTenant();
        Answer created = http.post("/sessions", json("heartbeat_timeout", 3));
        long after = System.currentTimeMillis();
        String session = created.header("Location").orElseThrow().replaceAll(".*/", "");
        http.post("/services", json("id", "svc-e1", "session_id", session));
        http.post("/services", json("id", "svc-e2", "session_id", session));
        Await.until(
                Duration.ofSeconds(8), () -> http.get("/sessions/" + session).status() == 404, "session expired");
        assertTrue(System.currentTimeMillis() <= after + 4_000 + 200, "session removed late");
        assertEquals(List.of(), ids(http.get("/services")));
        Duration eventBound = Duration.ofMillis(Math.max(0, after + 4_000 - System.currentTimeMillis()) + 200);
        assertEquals(1, awaitTimeoutEvents(http, "svc-e1", eventBound).size());
        assertEquals(
                1, awaitTimeoutEvents(http, "svc-e2", Duration.ofMillis(200)).size());
    }

    @Test
    void aHeartbeatKeepsTheSessionAndItsServicesAlive() {
        RegistryHttp http = freshTenant();
        Answer created = http.post("/sessions", json("heartbeat_timeout", 3));
        String session = created.header("Location").orElseThrow().replaceAll(".*/", "");
        String[] token = {created.json().path("token").asText()};
        http.post("/services", json("id", "svc-kept", "session_id", session));
        long[] lastBeat = {System.currentTimeMillis()};
        Await.holdsFor(
                Duration.ofMillis(4_500),
                () -> {
                    if (System.currentTimeMillis() - lastBeat[0] > 1_000) {
                        Answer beat = http.post("/sessions/" + session + "/heartbeat", json("token", token[0]));
                        token[0] = beat.json().path("token").asText();
                        lastBeat[0] = System.currentTimeMillis();
                    }
                    return http.get("/services/svc-kept").status() == 200;
                },
                "service of a heartbeating session stays");
    }

    @ParameterizedTest(name = "a session heartbeat_timeout of {0} is refused")
    @ValueSource(ints = {2, 121})
    void sessionTimeoutsOutsideThreeToOneHundredTwentyAreABadRequest(int timeout) {
        assertFault(freshTenant().post("/sessions", json("heartbeat_timeout", timeout)), 400, "badRequest");
    }

    @ParameterizedTest(name = "a session heartbeat_timeout of {0} is accepted")
    @ValueSource(ints = {3, 120})
    void sessionTimeoutsFromThreeToOneHundredTwentyAreAccepted(int timeout) {
        assertStatus(201, freshTenant().post("/sessions", json("heartbeat_timeout", timeout)));
    }

    @Test
    void sessionMetadataFollowsTheTwentyPairRule() {
        RegistryHttp http = freshTenant();
        assertStatus(
                201,
                http.post(
                        "/sessions",
                        json("heartbeat_timeout", 30, "metadata", ServiceValidationConformanceIT.metadata(20))));
        assertFault(
                http.post(
                        "/sessions",
                        json("heartbeat_timeout", 30, "metadata", ServiceValidationConformanceIT.metadata(21))),
                400,
                "badRequest");
        assertFault(
                http.post("/sessions", json("heartbeat_timeout", 30, "metadata", Map.of("k", "v".repeat(256)))),
                400,
                "badRequest");
        assertFault(http.post("/sessions", json("metadata", Map.of("k", "v"))), 400, "badRequest");
    }
}
