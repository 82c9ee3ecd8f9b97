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
            assertEquals(
                    List.of(Event.SERVICE_JOIN, Event.SERVICE_REMOVE, Event.SERVICE_JOIN),
                    eventTypes(direct),
                    "replaced at once; without the deletion the new creation waits for a service.timeout");
            String token = beat.token();
            ClientItSupport.await(
                    Duration.ofSeconds(15), () -> !token.equals(beat.token()), "beating on with the new chain");
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
