package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.sidecar.testing.RecordingBackend;
import io.autoreg.testing.Await;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A neighbour that failed {@code fall} checks in a row is drained first (out of service, then deleted after
 * {@code autoreg.sidecar.drain}) where the backend supports it, and deleted at once otherwise.
 */
class NeighbourWatcherDrainTest {
    private static final String ID = "drained-1";
    private static final Duration DRAIN = Duration.ofMillis(300);

    private final Deque<Boolean> script = new ArrayDeque<>();
    private RegistrationManager manager;

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    private NeighbourWatcher watcher(RecordingBackend backend, Duration drain) {
        manager = new RegistrationManager(backend, new HeartbeatSettings(Duration.ofSeconds(30), null));
        CheckSettings check = new CheckSettings(
                "d",
                ID,
                CheckType.TCP,
                5000,
                "127.0.0.1",
                "/",
                "",
                List.of(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                1,
                2,
                List.of(),
                Map.of());
        Neighbour neighbour =
                new Neighbour(check, new ServiceInstance(ID, "d", "127.0.0.1", 5000, List.of(), Map.of()));
        HealthCheck scripted =
                () -> script.removeFirst() ? HealthCheck.Result.pass("scripted") : HealthCheck.Result.fail("scripted");
        return new NeighbourWatcher(neighbour, scripted, manager, drain, Duration.ofSeconds(5));
    }

    private void probe(NeighbourWatcher watcher, boolean... results) {
        for (boolean result : results) {
            script.add(result);
            watcher.run();
        }
    }

    private static SidecarSettings settingsWithDrain(Duration drain) {
        return new SidecarSettings(-1, "127.0.0.1", drain, Duration.ofSeconds(5), List.of());
    }

    @Test
    void theDrainAppliesOnlyWhereTheBackendSupportsIt() {
        assertEquals(DRAIN, settingsWithDrain(DRAIN).drainFor(new RecordingBackend(true)));
        assertEquals(Duration.ZERO, settingsWithDrain(DRAIN).drainFor(new RecordingBackend(false)));
        assertEquals(Duration.ZERO, settingsWithDrain(Duration.ZERO).drainFor(new RecordingBackend(true)));
    }

    @Test
    void afterFallFailuresADrainableNeighbourIsOutOfServiceForTheDrainThenDeleted() {
        RecordingBackend backend = new RecordingBackend(true);
        NeighbourWatcher watcher = watcher(backend, settingsWithDrain(DRAIN).drainFor(backend));
        probe(watcher, true);
        Await.until(Duration.ofSeconds(10), ID + " registered", () -> backend.isLive(ID));

        probe(watcher, false);
        assertEquals(List.of("register " + ID), backend.calls(), "one failure is not yet fall = 2");
        long start = System.nanoTime();
        probe(watcher, false);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(List.of("register " + ID, "out-of-service " + ID, "deregister " + ID), backend.calls());
        assertTrue(tookMillis >= DRAIN.toMillis(), "kept out of service for the drain: " + tookMillis + " ms");
        assertFalse(backend.isLive(ID));
        assertFalse(watcher.snapshot().healthy());
        assertEquals(1, watcher.snapshot().deregistrations());
    }

    @Test
    void whereTheBackendCannotDrainTheNeighbourIsDeletedAtOnce() {
        RecordingBackend backend = new RecordingBackend(false);
        NeighbourWatcher watcher =
                watcher(backend, settingsWithDrain(Duration.ofSeconds(30)).drainFor(backend));
        probe(watcher, true);
        Await.until(Duration.ofSeconds(10), ID + " registered", () -> backend.isLive(ID));

        long start = System.nanoTime();
        probe(watcher, false, false);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(List.of("register " + ID, "deregister " + ID), backend.calls());
        assertTrue(tookMillis < 5_000, "no 30 s drain: " + tookMillis + " ms");
        assertFalse(backend.isLive(ID));
    }

    @Test
    void withoutADrainEvenADrainableNeighbourIsDeletedAtOnce() {
        RecordingBackend backend = new RecordingBackend(true);
        NeighbourWatcher watcher =
                watcher(backend, settingsWithDrain(Duration.ZERO).drainFor(backend));
        probe(watcher, true);
        Await.until(Duration.ofSeconds(10), ID + " registered", () -> backend.isLive(ID));
        probe(watcher, false, false);
        assertEquals(List.of("register " + ID, "deregister " + ID), backend.calls());
    }
}
