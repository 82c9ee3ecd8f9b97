package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.registry.RegistryServer;
import io.autoreg.testing.FreePorts;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registro backend against the project's own registry server (its Registro dialect, docs/api.md §9),
 * read back with the dialect's {@code GET /registro/1.0/apps/{app}/{id}}.
 *
 * <p>Registro's timings are fixed (docs/api.md §9): an instance is {@code down} 90 s after its last renewal. The
 * server runs on a clock that keeps real time and that the kill -9 test moves 91 s forward once the registrant is
 * dead ({@link JumpingClock}), instead of waiting 90 s of every build for it; heartbeats and renewals keep their
 * real pace. And a deregistered (out-of-service) id cannot be
 * registered again until the server removes it, 10 minutes after its last renewal (POST 409, PUT 403),
 * so this class does not claim {@link BesideTheSidecar.AcrossNeighbourRestarts}.
 */
class RegistroBackendIT extends BackendContract implements BesideTheSidecar {

    private static final int PORT = FreePorts.next();
    private static RegistryServer server;
    private static Path dataDir;
    /** Shared by every server of the class: a restarted one keeps the time its predecessor had reached. */
    private static final JumpingClock CLOCK = new JumpingClock();

    private final Http http = new Http();

    @BeforeAll
    static void startRegistry() throws IOException {
        dataDir = Files.createTempDirectory("autoreg-registro-");
        server = RegistryServer.builder()
                .bind("127.0.0.1")
                .port(PORT)
                .dataDir(dataDir)
                .clock(CLOCK)
                .build()
                .start();
    }

    @AfterAll
    static void stopRegistry() throws IOException {
        if (server != null) {
            server.close();
        }
        deleteTree(dataDir);
    }

    @Override
    protected String type() {
        return "registro";
    }

    @Override
    protected String url() {
        return "http://127.0.0.1:" + PORT + "/registro/1.0";
    }

    @Override
    protected Duration expiryBound() {
        // the clock is moved past the 90 s (afterTheRegistrantWasKilled); then the server's sweep and polling
        return Duration.ofSeconds(5);
    }

    @Override
    protected void afterTheRegistrantWasKilled() {
        CLOCK.jump(Duration.ofSeconds(91));
    }

    @Override
    protected Seen lookup(ServiceInstance instance) throws Exception {
        JsonNode found = http.getJson(url() + "/apps/" + instance.name() + "/" + instance.id());
        if (found == null) {
            return null;
        }
        String status = found.path("status").asText();
        return new Seen(
                found.path("ip").asText(),
                found.path("port").asInt(),
                status.equals("up") || status.equals("starting"));
    }

    /** The dialect's limits are the server's (docs/api.md §9): a registration over one cannot succeed by retrying. */
    @Test
    void anIdOverTheDialectsLimitIsARefusal() {
        ServiceInstance tooLong =
                new ServiceInstance("o".repeat(256), "orders", "127.0.0.1", FreePorts.next(), List.of(), Map.of());
        try (RegistryBackend backend = newBackend()) {
            RefusedException refused =
                    assertThrows(RefusedException.class, () -> backend.register(tooLong, Duration.ofSeconds(30)));
            assertTrue(
                    refused.getMessage().contains("registro register")
                            && refused.getMessage().contains("400"),
                    refused.getMessage());
        }
    }

    /** A new server on the same port with an empty data dir. */
    @Override
    protected void restartEngineLosingState() throws IOException {
        server.close();
        deleteTree(dataDir);
        dataDir = Files.createTempDirectory("autoreg-registro-");
        server = RegistryServer.builder()
                .bind("127.0.0.1")
                .port(PORT)
                .dataDir(dataDir)
                .clock(CLOCK)
                .build()
                .start();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
