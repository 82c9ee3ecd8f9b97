package io.autoreg.registry.clientit;

import static io.autoreg.registry.clientit.ClientItSupport.quietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.HeartbeatState;
import io.autoreg.core.client.Heartbeater;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.model.Event;
import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.core.client.model.SessionCreate;
import io.autoreg.testing.AnswerDroppingProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A heartbeat the registry applied but whose answer never reached the client (the connection cut on the way back,
 * through {@link AnswerDroppingProxy}): the token it spent is gone, and the client's next beat is turned down. The
 * entry is still the heartbeater's own, so it deletes it and creates it again at once — consumers of the events
 * feed see a removal and a join, never a timeout — rather than waiting for its own stale entry to expire while
 * every creation is refused as a duplicate.
 */
class HeartbeaterLostAnswerIT {

    @RegisterExtension
    static final EmbeddedRegistry registry = new EmbeddedRegistry();

    @Test
    void aServiceWhoseHeartbeatAnswerWasLostIsCreatedAgainNotLeftToTimeOut() throws Exception {
        try (AnswerDroppingProxy proxy =
                        new AnswerDroppingProxy(registry.server().baseUrl());
                ServiceRegistryClient direct = registry.client("lost");
                ServiceRegistryClient client = throughProxy(proxy, "lost");
                Heartbeater beat = client.heartbeater(ServiceCreate.withHeartbeat("lost-1", 10, List.of(), Map.of()))
                        .start()) {
            assertTrue(beat.awaitRegistered(Duration.ofSeconds(10)));
            proxy.loseTheAnswerToNext(line -> line.startsWith("POST /v1.0/lost/services/lost-1/heartbeat "));

            awaitTheLostAnswerAndASecondCreation(proxy, beat);
            assertReplacedAtOnceAndBeaten(direct, beat);
            assertEquals("lost-1", direct.services().get("lost-1").id());
        }
    }

    @Test
    void aSessionWhoseHeartbeatAnswerWasLostIsCreatedAgainWithItsServices() throws Exception {
        try (AnswerDroppingProxy proxy =
                        new AnswerDroppingProxy(registry.server().baseUrl());
                ServiceRegistryClient direct = registry.client("lost-session");
                ServiceRegistryClient client = throughProxy(proxy, "lost-session");
                Heartbeater beat = client.sessionHeartbeater(
                                new SessionCreate(10, Map.of()),
                                List.of(ServiceCreate.inSession("member-1", null, List.of(), Map.of())))
                        .start()) {
            assertTrue(beat.awaitRegistered(Duration.ofSeconds(10)));
            String first = beat.id();
            proxy.loseTheAnswerToNext(
                    line -> line.startsWith("POST /v1.0/lost-session/sessions/" + first + "/heartbeat "));

            awaitTheLostAnswerAndASecondCreation(proxy, beat);
            assertEquals(
                    List.of(Event.SERVICE_JOIN, Event.SERVICE_REMOVE, Event.SERVICE_JOIN),
                    eventTypes(direct),
                    "the member replaced with its session, never timed out");
            assertEquals(beat.id(), direct.services().get("member-1").sessionId());
        }
    }

    /**
     * The answer to the creation itself is lost: the registry holds the entry, the heartbeater no token for it, and
     * every creation after it is refused as a duplicate. The entry holds exactly what the heartbeater sent and a
     * creation of it went unanswered a moment ago, so it is deleted and created again at once — not refused until it
     * times out unrenewed. (The creation's POST is not replayed by the HTTP client: a replay would be refused as a
     * duplicate with nothing left to say that the first one may have been applied.)
     */
    @Test
    void aServiceWhoseCreationAnswerWasLostIsCreatedAgainNotLeftToTimeOut() throws Exception {
        try (AnswerDroppingProxy proxy =
                        new AnswerDroppingProxy(registry.server().baseUrl());
                ServiceRegistryClient direct = registry.client("lost-create");
                ServiceRegistryClient client = throughProxy(proxy, "lost-create")) {
            // the creation then goes out on a pooled connection: the case in which OkHttp replays a failed request
            client.services().list(null, null, null);
            proxy.loseTheAnswerToNext(line -> line.startsWith("POST /v1.0/lost-create/services "));
            try (Heartbeater beat = client.heartbeater(ServiceCreate.withHeartbeat(
                            "created-1", 10, List.of("b", "a"), Map.of("k", "v", "owner", "us")))
                    .start()) {
                assertTrue(beat.awaitRegistered(Duration.ofSeconds(10)), beat.toString());
                assertEquals(1, proxy.answersLost());
                assertReplacedAtOnceAndBeaten(direct, beat);
                assertEquals(
                        List.of(
                                "GET /v1.0/lost-create/services HTTP/1.1",
                                "POST /v1.0/lost-create/services HTTP/1.1",
                                "POST /v1.0/lost-create/services HTTP/1.1",
                                "GET /v1.0/lost-create/services/created-1 HTTP/1.1",
                                "DELETE /v1.0/lost-create/services/created-1 HTTP/1.1",
                                "POST /v1.0/lost-create/services HTTP/1.1"),
                        proxy.requestLines().stream()
                                .filter(line -> !line.contains("/heartbeat "))
                                .toList(),
                        "lost, refused, looked at, deleted, created; the lost POST never replayed");
            }
        }
    }

    /**
     * The same lost answer, but the id was another instance's all along (its metadata differs): that entry is left
     * alone, and the heartbeater keeps being refused until it expires, as the API asks.
     */
    @Test
    void aCreationWhoseAnswerWasLostLeavesAnotherInstancesEntryAlone() throws Exception {
        try (AnswerDroppingProxy proxy =
                        new AnswerDroppingProxy(registry.server().baseUrl());
                ServiceRegistryClient direct = registry.client("lost-taken");
                ServiceRegistryClient client = throughProxy(proxy, "lost-taken")) {
            String theirs = direct.services()
                    .create(ServiceCreate.withHeartbeat("taken-1", 60, List.of(), Map.of("owner", "them")))
                    .token();
            proxy.loseTheAnswerToNext(line -> line.startsWith("POST /v1.0/lost-taken/services "));
            try (Heartbeater beat = client.heartbeater(
                            ServiceCreate.withHeartbeat("taken-1", 60, List.of(), Map.of("owner", "us")))
                    .start()) {
                ClientItSupport.await(
                        Duration.ofSeconds(20),
                        () -> proxy.requestLines().contains("GET /v1.0/lost-taken/services/taken-1 HTTP/1.1"),
                        "the entry looked at after the lost answer");
                assertEquals(1, proxy.answersLost());
                assertEquals(
                        Map.of("owner", "them"),
                        direct.services().get("taken-1").metadata());
                assertEquals(List.of(Event.SERVICE_JOIN), eventTypes(direct), "never deleted");
                assertEquals(0, beat.creations());
                direct.services().heartbeat("taken-1", theirs);
            }
        }
    }

    /**
     * The entry was deleted and created again at once (without the deletion, every creation is refused as a
     * duplicate until a {@code service.timeout}), and the heartbeater beats the new one.
     */
    private static void assertReplacedAtOnceAndBeaten(ServiceRegistryClient direct, Heartbeater beat) throws Exception {
        assertEquals(
                List.of(Event.SERVICE_JOIN, Event.SERVICE_REMOVE, Event.SERVICE_JOIN),
                eventTypes(direct),
                "replaced at once, never timed out");
        String token = beat.token();
        ClientItSupport.await(Duration.ofSeconds(15), () -> !token.equals(beat.token()), "beating the new entry");
    }

    private static void awaitTheLostAnswerAndASecondCreation(AnswerDroppingProxy proxy, Heartbeater beat) {
        ClientItSupport.await(
                Duration.ofSeconds(20),
                quietly(() ->
                        proxy.answersLost() == 1 && beat.creations() == 2 && beat.state() == HeartbeatState.REGISTERED),
                "the lost answer, then " + beat + " created again");
    }

    private static ServiceRegistryClient throughProxy(AnswerDroppingProxy proxy, String tenant) {
        return ServiceRegistryClient.builder()
                .url(proxy.baseUrl() + "/v1.0/" + tenant)
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .build();
    }

    private static List<String> eventTypes(ServiceRegistryClient client) throws Exception {
        return client.events().list(null, null, null).values().stream()
                .map(Event::type)
                .toList();
    }
}
