package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.backend.serviceregistry.ServiceRegistryBackend;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.sidecar.testing.TestRegistry;
import io.autoreg.testing.Await;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rise and fall, probe by probe: scripted probe results drive the watcher by hand (no scheduler, no
 * sleeps), the core lifecycle and the real registry do the rest.
 */
class NeighbourWatcherIT {
    private TestRegistry registry;
    private RegistryBackend backend;
    private RegistrationManager manager;
    private final Deque<Boolean> script = new ArrayDeque<>();

    @BeforeEach
    void start() {
        registry = new TestRegistry("watcher");
        backend = new ServiceRegistryBackend(new RegistrySettings(
                "service-registry",
                registry.url(),
                null,
                null,
                null,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                new RegistrySettings.TlsSettings(null, null, null),
                Map.of()));
        manager = new RegistrationManager(backend, new HeartbeatSettings(Duration.ofSeconds(10), null));
    }

    @AfterEach
    void stop() {
        manager.close();
        backend.close();
        registry.close();
    }

    private NeighbourWatcher watcher(int rise, int fall) {
        CheckSettings check = new CheckSettings(
                "w",
                "watched-1",
                CheckType.TCP,
                5000,
                "127.0.0.1",
                "/",
                "",
                List.of(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                rise,
                fall,
                List.of(),
                Map.of());
        Neighbour neighbour = new Neighbour(
                check, new ServiceInstance("watched-1", "w", "127.0.0.1", 5000, List.of(), Map.of("port", "5000")));
        HealthCheck scripted =
                () -> script.removeFirst() ? HealthCheck.Result.pass("scripted") : HealthCheck.Result.fail("scripted");
        return new NeighbourWatcher(neighbour, scripted, manager, Duration.ZERO, Duration.ofSeconds(2));
    }

    private void probe(NeighbourWatcher watcher, boolean... results) {
        for (boolean result : results) {
            script.add(result);
            watcher.run();
        }
    }

    private boolean registered() {
        return registry.hasService("watched-1");
    }

    @Test
    void registersOnlyAfterRisePassesInARowAndDeregistersOnlyAfterFallFailuresInARow() {
        NeighbourWatcher watcher = watcher(3, 2);
        probe(watcher, true, true, false, true, true);
        assertTrue(manager.registrations().isEmpty(), "a failure resets the rise count");
        probe(watcher, true);
        Await.until(Duration.ofSeconds(20), "registered after 3 passes in a row", this::registered);

        probe(watcher, false, true, false);
        assertTrue(watcher.snapshot().healthy(), "a pass resets the fall count");
        assertTrue(registered());
        probe(watcher, false);
        assertFalse(watcher.snapshot().healthy());
        assertFalse(registered(), "deregistered (synchronously) after 2 failures in a row");

        probe(watcher, true, true, true);
        Await.until(Duration.ofSeconds(20), "registered again after recovering", this::registered);
        NeighbourWatcher.Snapshot snapshot = watcher.snapshot();
        assertEquals(2, snapshot.registrations());
        assertEquals(1, snapshot.deregistrations());
        assertEquals(9, snapshot.passes());
        assertEquals(4, snapshot.failures());
    }

    @Test
    void afterStopNoResultRegistersTheNeighbourAgain() {
        NeighbourWatcher watcher = watcher(1, 1);
        watcher.stop();
        probe(watcher, true);
        assertTrue(manager.registrations().isEmpty());
        assertFalse(watcher.snapshot().healthy());
    }

    @Test
    void aProbeThatThrowsIsLoggedAndTheNextProbeStillRuns() {
        CheckSettings check = new CheckSettings(
                "w",
                "thrower",
                CheckType.TCP,
                5000,
                "127.0.0.1",
                "/",
                "",
                List.of(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                1,
                1,
                List.of(),
                Map.of());
        int[] calls = {0};
        HealthCheck flaky = () -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("bug in a probe");
            }
            return HealthCheck.Result.pass("fine");
        };
        NeighbourWatcher watcher = new NeighbourWatcher(
                new Neighbour(check, new ServiceInstance("thrower", "w", "127.0.0.1", 5000, List.of(), Map.of())),
                flaky,
                manager,
                Duration.ZERO,
                Duration.ofSeconds(2));
        watcher.run();
        watcher.run();
        Await.until(Duration.ofSeconds(20), "registered by the second probe", () -> registry.hasService("thrower"));
    }
}
