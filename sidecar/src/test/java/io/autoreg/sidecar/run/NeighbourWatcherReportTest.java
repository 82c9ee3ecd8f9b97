package io.autoreg.sidecar.run;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.sidecar.testing.RecordingBackend;
import io.autoreg.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads, at the default level, about a neighbour that is not registered: nothing during a start
 * shorter than {@code fall} checks, then one line with the check's failure, again only when it fails another way.
 */
class NeighbourWatcherReportTest {
    private static final String ID = "web-1";

    private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    private RegistrationManager manager;
    private HealthCheck.Result next;
    private Log.Level levelBefore;

    @BeforeEach
    void captureLog() {
        levelBefore = Log.level();
        Log.level(Log.Level.WARN);
        Log.sink(new PrintStream(lines, true, UTF_8));
    }

    @AfterEach
    void restore() {
        Log.sink(null);
        Log.level(levelBefore);
        if (manager != null) {
            manager.close();
        }
    }

    private List<String> said() {
        List<String> out = lines.toString(UTF_8)
                .lines()
                .map(l -> l.replaceFirst("^.* warn ", ""))
                .toList();
        lines.reset();
        return out;
    }

    private NeighbourWatcher watcher(RecordingBackend backend) {
        manager = new RegistrationManager(backend, new HeartbeatSettings(Duration.ofSeconds(30), null));
        CheckSettings check = new CheckSettings(
                "web",
                ID,
                CheckType.HTTP,
                8080,
                "127.0.0.1",
                "/health",
                "",
                List.of(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                1,
                3,
                List.of(),
                Map.of());
        Neighbour neighbour =
                new Neighbour(check, new ServiceInstance(ID, "web", "127.0.0.1", 8080, List.of(), Map.of()));
        return new NeighbourWatcher(neighbour, () -> next, manager, Duration.ZERO, Duration.ofSeconds(5));
    }

    private void probe(NeighbourWatcher watcher, HealthCheck.Result result, int times) {
        for (int i = 0; i < times; i++) {
            next = result;
            watcher.run();
        }
    }

    @Test
    void aNeighbourNeverHealthyIsSaidOnceAfterFallFailuresAndAgainOnlyWhenItFailsAnotherWay() {
        RecordingBackend backend = new RecordingBackend(false);
        NeighbourWatcher watcher = watcher(backend);
        HealthCheck.Result refused = HealthCheck.Result.fail("ConnectException: Connection refused");

        probe(watcher, refused, 2);
        assertEquals(List.of(), said(), "a start shorter than fall = 3 checks is quiet");
        probe(watcher, refused, 1);
        assertEquals(
                List.of(ID + " is not registered: its check failed 3 times in a row (ConnectException: Connection"
                        + " refused); registered once it passes"),
                said());
        probe(watcher, refused, 5);
        assertEquals(List.of(), said(), "the same failure is said once");

        probe(watcher, HealthCheck.Result.fail("HTTP 503"), 1);
        assertEquals(
                List.of(ID + " is not registered: its check failed 3 times in a row (HTTP 503); registered once it"
                        + " passes"),
                said(),
                "a new way of failing is said");

        // transport failures alternate between a few words: each said once, not at every probe
        HealthCheck.Result pipe = HealthCheck.Result.fail("SocketException: Broken pipe");
        for (int i = 0; i < 4; i++) {
            probe(watcher, pipe, 1);
            probe(watcher, refused, 1);
            probe(watcher, HealthCheck.Result.fail("HTTP 503"), 1);
        }
        assertEquals(
                List.of(ID + " is not registered: its check failed 3 times in a row (SocketException: Broken pipe);"
                        + " registered once it passes"),
                said(),
                "only the way not said before");
    }

    @Test
    void afterADeregistrationTheSameFailureIsNotSaidTwice() {
        RecordingBackend backend = new RecordingBackend(false);
        NeighbourWatcher watcher = watcher(backend);
        probe(watcher, HealthCheck.Result.pass("HTTP 200"), 1);
        Await.until(Duration.ofSeconds(10), ID + " registered", () -> backend.isLive(ID));
        said();

        probe(watcher, HealthCheck.Result.fail("HTTP 500"), 6);
        List<String> lines = said();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith(ID + " failed 3 checks in a row (HTTP 500): deregistering"), lines.get(0));
    }
}
