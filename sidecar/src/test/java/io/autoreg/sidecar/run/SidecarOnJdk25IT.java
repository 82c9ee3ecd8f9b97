package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.sidecar.testing.FreePorts;
import io.autoreg.sidecar.testing.Jars;
import io.autoreg.sidecar.testing.TestRegistry;
import io.autoreg.testing.Await;
import io.autoreg.testing.Child;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar jar (built with {@code --release 17}) on JDK 25, the other JDK the project supports: {@code run}
 * registers the neighbour, a SIGTERM deregisters it before the sidecar exits, and the JVM prints no
 * warning (JDK 24+ warns on stderr when a library uses {@code sun.misc.Unsafe}'s memory access, for example).
 */
class SidecarOnJdk25IT {

    @TempDir
    static Path logs;

    private static TestRegistry registry;
    private static int appPort;
    private static Child app;

    @BeforeAll
    static void startRegistryAndApp() {
        registry = new TestRegistry("sidecar-jdk25");
        appPort = FreePorts.next();
        app = Child.javaMain(
                Jars.sampleApp(),
                "io.autoreg.sample.SampleApp",
                List.of("--port", String.valueOf(appPort), "--name", "orders"),
                logs,
                "app");
        app.awaitStdout("listening on port (\\d+)", Duration.ofSeconds(15));
    }

    @AfterAll
    static void stopAll() {
        if (app != null) {
            app.close();
        }
        registry.close();
    }

    @Test
    void runRegistersTheNeighbourAndSigtermDeregistersItOnJdk25() {
        Path jdk25 = Path.of(System.getProperty("autoreg-it.jdk25"));
        assertTrue(Files.isExecutable(jdk25.resolve("bin/java")), "JDK 25 at " + jdk25);
        String id = "orders-127.0.0.1-" + appPort;
        try (Child sidecar = Child.java(
                jdk25,
                Jars.sidecar(),
                List.of(
                        "run",
                        "--registry-url",
                        registry.url(),
                        "--address",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(appPort),
                        "--check",
                        "http",
                        "--path",
                        "/health",
                        "--name",
                        "orders",
                        "--interval",
                        "500ms",
                        "--heartbeat-timeout",
                        "5s",
                        "--http-port",
                        "0",
                        "--http-address",
                        "127.0.0.1"),
                Map.of(),
                logs,
                "sidecar-jdk25")) {
            Await.until(
                    Duration.ofSeconds(20), id + " registered by the sidecar on JDK 25", () -> registry.hasService(id));
            assertEquals(
                    String.valueOf(appPort),
                    registry.service(id).path("metadata").path("port").asText());

            sidecar.terminate();
            int exit = sidecar.awaitExit(Duration.ofSeconds(10));
            // a JVM stopped by SIGTERM through its shutdown hooks exits with 128 + 15
            assertTrue(exit == 0 || exit == 143, "exit " + exit + "\n" + sidecar.stderr());
            // the heartbeat timeout is 5 s: an entry missing right at exit was deleted, not expired
            assertFalse(registry.hasService(id), "deregistered by the time the sidecar exited");
            assertFalse(sidecar.stderr().contains("WARNING"), "JDK 25 warnings on stderr:\n" + sidecar.stderr());
        }
    }
}
