package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.sidecar.testing.FreePorts;
import io.autoreg.sidecar.testing.Jars;
import io.autoreg.sidecar.testing.TestRegistry;
import io.autoreg.testing.Await;
import io.autoreg.testing.Child;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} with an HTTP check beside the real sample app (no agent), against the real registry: the
 * app is registered while it is up, gone within fall × interval after it is killed, back after a restart,
 * and a SIGTERM to the sidecar deregisters before the sidecar exits.
 */
class RunHttpNeighbourIT {
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final int FALL = 2;

    @TempDir
    static Path logs;

    private static TestRegistry registry;
    private static int appPort;
    private static Child app;
    private final List<Child> sidecars = new ArrayList<>();

    @BeforeAll
    static void startRegistryAndApp() {
        registry = new TestRegistry("sidecar-http");
        appPort = FreePorts.next();
        app = startApp("app-1");
    }

    @AfterAll
    static void stopAll() {
        if (app != null) {
            app.close();
        }
        registry.close();
    }

    @org.junit.jupiter.api.AfterEach
    void stopSidecars() {
        // SIGTERM first: a killed sidecar would leave its entry until the heartbeat timeout, and the next test
        // would see that stale entry
        for (Child sidecar : sidecars) {
            sidecar.terminate();
            sidecar.awaitExit(Duration.ofSeconds(10));
            sidecar.close();
        }
        Await.until(
                Duration.ofSeconds(10),
                "no services left",
                () -> registry.serviceIds().isEmpty());
    }

    private static Child startApp(String name) {
        Child child = Child.javaMain(
                Jars.sampleApp(),
                "io.autoreg.sample.SampleApp",
                List.of("--port", String.valueOf(appPort), "--name", "orders"),
                logs,
                name);
        child.awaitStdout("listening on port (\\d+)", Duration.ofSeconds(15));
        return child;
    }

    private Child startSidecar(String name) {
        Child sidecar = Child.java(
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
                        INTERVAL.toMillis() + "ms",
                        "--timeout",
                        "400ms",
                        "--fall",
                        String.valueOf(FALL),
                        "--heartbeat-timeout",
                        "5s",
                        "--http-port",
                        "0",
                        "--http-address",
                        "127.0.0.1"),
                Map.of(),
                logs,
                name);
        sidecars.add(sidecar);
        return sidecar;
    }

    private static String id() {
        return "orders-127.0.0.1-" + appPort;
    }

    @Test
    void theAppIsRegisteredWhileUpGoneWithinFallTimesIntervalAfterAKillAndBackAfterARestart() {
        Child sidecar = startSidecar("sidecar-lifecycle");
        Await.until(Duration.ofSeconds(15), id() + " registered", () -> registry.hasService(id()));
        assertEquals(
                String.valueOf(appPort),
                registry.service(id()).path("metadata").path("port").asText(),
                "the neighbour's port is registered, not the sidecar's");
        assertEquals(
                "orders",
                registry.service(id()).path("metadata").path("service_name").asText());

        app.kill();
        Duration gone = Await.timed(
                Duration.ofSeconds(10), id() + " deregistered after the kill", () -> !registry.hasService(id()));
        Duration bound = INTERVAL.multipliedBy(FALL).plusMillis(1000);
        assertTrue(
                gone.compareTo(bound) <= 0,
                "gone after " + gone.toMillis() + " ms, expected within " + bound.toMillis()
                        + " ms (fall × interval + 1 s for the DELETE and this poll on a busy machine; the heartbeat timeout is 5 s)");

        app = startApp("app-2");
        Await.until(
                Duration.ofSeconds(10), id() + " registered again after the restart", () -> registry.hasService(id()));
        assertTrue(sidecar.process().isAlive());
    }

    @Test
    void configuredOnlyByEnvironmentVariablesItAdvertisesThePodIp() {
        Child sidecar = Child.java(
                Jars.sidecar(),
                List.of("run"),
                Map.of(
                        "AUTOREG_REGISTRY_URL", registry.url(),
                        "AUTOREG_SIDECAR_CHECK_PORT", String.valueOf(appPort),
                        "AUTOREG_SIDECAR_CHECK_NAME", "orders",
                        "AUTOREG_SIDECAR_CHECK_INTERVAL", "500ms",
                        "AUTOREG_SERVICE_TAGS", "k8s,env",
                        "POD_IP", "10.1.2.3"),
                logs,
                "sidecar-env");
        sidecars.add(sidecar);
        String id = "orders-10.1.2.3-" + appPort;
        Await.until(Duration.ofSeconds(15), id + " registered", () -> registry.hasService(id));
        assertEquals(
                "10.1.2.3", registry.service(id).path("metadata").path("host").asText());
        assertEquals("[\"k8s\",\"env\"]", registry.service(id).path("tags").toString());
        assertTrue(sidecar.stdout().contains("advertising 10.1.2.3 (environment variable POD_IP)"), sidecar.stdout());
    }

    @Test
    void sigtermDeregistersTheNeighbourBeforeTheSidecarExits() {
        Child sidecar = startSidecar("sidecar-sigterm");
        Await.until(Duration.ofSeconds(15), id() + " registered", () -> registry.hasService(id()));
        sidecar.terminate();
        sidecar.awaitExit(Duration.ofSeconds(10));
        // the heartbeat timeout is 5 s: an entry missing right at exit was deleted, not expired
        assertFalse(registry.hasService(id()), "deregistered by the time the sidecar exited");
        assertTrue(app.process().isAlive(), "the neighbour itself is left alone");
    }

    @Test
    void ownHealthzAndMetricsReportTheNeighbour() throws IOException, InterruptedException {
        Child sidecar = startSidecar("sidecar-endpoints");
        String port = sidecar.awaitStdout("/healthz and /metrics on port (\\d+)", Duration.ofSeconds(15));
        Await.until(Duration.ofSeconds(15), id() + " registered", () -> registry.hasService(id()));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> healthz = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, healthz.statusCode());
        assertTrue(
                healthz.body()
                        .contains("\"" + id() + "\":{\"target\":\"http://127.0.0.1:" + appPort
                                + "/health\",\"healthy\":true"),
                healthz.body());
        Await.until(Duration.ofSeconds(5), "metrics show the registration", () -> {
            try {
                String metrics = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                return metrics.contains("autoreg_sidecar_neighbour_registered{id=\"" + id() + "\",name=\"orders\"} 1")
                        && metrics.contains(
                                "autoreg_sidecar_checks_total{id=\"" + id() + "\",name=\"orders\",result=\"pass\"}");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        HttpResponse<String> scrape = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode());
        assertEquals(
                "text/plain; version=0.0.4; charset=utf-8",
                scrape.headers().firstValue("Content-Type").orElse(""));
        String metrics = scrape.body();
        String labels = "{id=\"" + id() + "\",name=\"orders\"";
        assertTrue(metrics.contains("autoreg_sidecar_neighbour_healthy" + labels + "} 1.0\n"), metrics);
        assertTrue(
                metrics.contains("autoreg_sidecar_neighbour_state" + labels + ",state=\"registered\"} 1.0\n"), metrics);
        assertTrue(metrics.contains("autoreg_sidecar_neighbour_state" + labels + ",state=\"none\"} 0.0\n"), metrics);
        assertTrue(metrics.contains("autoreg_sidecar_neighbour_registry_failures" + labels + "} 0.0\n"), metrics);
        assertTrue(
                metrics.contains("autoreg_sidecar_transitions_total" + labels + ",to=\"registered\"} 1.0\n"), metrics);
        assertTrue(metrics.contains("# TYPE autoreg_sidecar_check_duration_seconds histogram\n"), metrics);
        assertTrue(
                metrics.contains("autoreg_sidecar_check_duration_seconds_bucket" + labels + ",le=\"+Inf\"} "), metrics);
        assertFalse(metrics.contains("autoreg_sidecar_check_duration_seconds_count" + labels + "} 0\n"), metrics);
        assertTrue(
                metrics.contains("autoreg_build_info{component=\"sidecar\",java_version=\"")
                        && metrics.contains("\",version=\"" + System.getProperty("sidecar.version") + "\"} 1"),
                metrics);
        assertTrue(metrics.contains("\njvm_memory_used_bytes{"), metrics);
        assertTrue(metrics.contains("\nprocess_start_time_seconds "), metrics);
    }
}
