package io.autoreg.registry.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.EventsWatcher;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.model.Event;
import io.autoreg.core.client.model.Page;
import io.autoreg.core.client.model.ServiceCreate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The events feed and the watcher's long poll against the real server. */
class ClientEventsIT {

    @RegisterExtension
    static final EmbeddedRegistry registry = new EmbeddedRegistry();

    @Test
    void theWatcherDeliversServiceAndConfigurationEventsInOrderWithoutDuplicates() throws Exception {
        try (ServiceRegistryClient client = registry.client("events-a")) {
            client.services().create(ServiceCreate.withHeartbeat("before-1", 30, List.of(), Map.of()));
            List<Event> seen = new CopyOnWriteArrayList<>();
            try (EventsWatcher watcher = client.events().watch(null, null, seen::add)) {
                ClientItSupport.await(
                        Duration.ofSeconds(10), () -> seen.size() == 1 && watcher.isCaughtUp(), "the backlog");
                long start = System.nanoTime();
                client.services().create(ServiceCreate.withHeartbeat("after-1", 30, List.of("x"), Map.of()));
                client.configuration().set("/app/feature_flag", "on");
                client.configuration().set("/app/feature_flag", "off");
                client.services().delete("after-1");
                client.configuration().delete("/app/feature_flag");
                ClientItSupport.await(
                        Duration.ofSeconds(10), () -> seen.size() == 6, "five new events via the long poll");
                long latencyMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(
                        latencyMillis < 5000,
                        "delivered by the held request, not a 30 s poll cycle: " + latencyMillis + " ms");
            }
            assertEquals(
                    List.of(
                            Event.SERVICE_JOIN,
                            Event.SERVICE_JOIN,
                            Event.CONFIGURATION_UPDATE,
                            Event.CONFIGURATION_UPDATE,
                            Event.SERVICE_REMOVE,
                            Event.CONFIGURATION_REMOVE),
                    seen.stream().map(Event::type).toList());
            assertEquals("after-1", seen.get(1).payload().path("id").asText());
            assertEquals("on", seen.get(3).payload().path("old_value").asText());
            assertEquals("off", seen.get(3).payload().path("new_value").asText());
            assertEquals(6, seen.stream().map(Event::id).distinct().count(), "no duplicates");
        }
    }

    @Test
    void theMarkerIsInclusiveAndTheTypeFilterApplies() throws Exception {
        try (ServiceRegistryClient client = registry.client("events-b")) {
            for (int i = 1; i <= 3; i++) {
                client.services().create(ServiceCreate.withHeartbeat("m-" + i, 30, List.of(), Map.of()));
            }
            client.services().delete("m-1");
            Page<Event> all = client.events().list(null, null, null);
            assertEquals(4, all.values().size());
            String second = all.values().get(1).id();
            assertEquals(
                    second,
                    client.events().list(second, null, null).values().get(0).id(),
                    "starts with the marker");
            Page<Event> removes = client.events().list(null, null, Event.SERVICE_REMOVE);
            assertEquals(1, removes.values().size());
            assertEquals("m-1", removes.values().get(0).payload().path("id").asText());
            assertEquals(all.values().get(3).id(), client.events().latestMarker(null));
        }
    }

    @Test
    void watchingFromNowSkipsTheBacklog() throws Exception {
        try (ServiceRegistryClient client = registry.client("events-c")) {
            client.services().create(ServiceCreate.withHeartbeat("old-1", 30, List.of(), Map.of()));
            List<String> seen = new CopyOnWriteArrayList<>();
            try (EventsWatcher watcher = client.events()
                    .watchFromNow(null, e -> seen.add(e.payload().path("id").asText()))) {
                ClientItSupport.await(Duration.ofSeconds(10), watcher::isCaughtUp, "caught up");
                client.services().create(ServiceCreate.withHeartbeat("new-1", 30, List.of(), Map.of()));
                ClientItSupport.await(Duration.ofSeconds(10), () -> seen.size() == 1, "the new event");
            }
            assertEquals(List.of("new-1"), seen);
        }
    }
}
