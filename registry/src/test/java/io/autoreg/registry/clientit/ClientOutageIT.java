package io.autoreg.registry.clientit;

import static io.autoreg.registry.clientit.ClientItSupport.quietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.HeartbeatState;
import io.autoreg.core.client.Heartbeater;
import io.autoreg.core.client.ServiceList;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.model.Service;
import io.autoreg.core.client.model.ServiceCreate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/api.md §8 through a real outage: the packaged registry is killed with -9 and started again on the
 * same port and data dir. Meanwhile the client serves its last service list marked stale, and the
 * heartbeater keeps its registration without ever needing to re-create it.
 */
class ClientOutageIT {

    @TempDir
    Path work;

    @Test
    void aKilledRegistryIsBridgedByTheStaleListAndTheHeartbeaterCarriesOn() throws Exception {
        try (RegistryChild registry = new RegistryChild(work).start();
                ServiceRegistryClient client = ServiceRegistryClient.builder()
                        .url(registry.url("outage"))
                        .timeouts(Duration.ofMillis(500), Duration.ofSeconds(2))
                        .build();
                Heartbeater beat = client.heartbeater(
                                ServiceCreate.withHeartbeat("outage-1", 10, List.of("web"), Map.of()))
                        .start()) {
            assertTrue(beat.awaitRegistered(Duration.ofSeconds(10)));
            ServiceList fresh = client.services().listAll(null);
            assertFalse(fresh.stale());
            assertEquals(
                    List.of("outage-1"),
                    fresh.services().stream().map(Service::id).toList());

            registry.kill();
            ServiceList stale = client.services().listAll(null);
            assertTrue(stale.stale(), "served from the cache while the registry is down");
            assertEquals(fresh.services(), stale.services());
            assertEquals(fresh.fetchedAt(), stale.fetchedAt());
            assertThrows(IOException.class, () -> client.services().get("outage-1"), "single reads are not cached");

            String tokenBeforeRestart = beat.token();
            registry.start();
            ClientItSupport.await(
                    Duration.ofSeconds(20),
                    quietly(() -> !client.services().listAll(null).stale()),
                    "fresh again");
            ClientItSupport.await(
                    Duration.ofSeconds(20), () -> !tokenBeforeRestart.equals(beat.token()), "a beat after the restart");
            assertEquals(1, beat.creations(), "the durable registry kept it: no 404, no re-creation");
            assertEquals(HeartbeatState.REGISTERED, beat.state());
            assertEquals(
                    List.of("outage-1"),
                    client.services().listAll(null).services().stream()
                            .map(Service::id)
                            .toList());
        }
    }
}
