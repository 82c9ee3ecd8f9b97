package io.autoreg.registry.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.registry.conformance.Await;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * kill -9 and restart a registry child process on the same data dir at least 20 times while it takes
 * writes and heartbeats: every acknowledged write survives, and heartbeating services never see a 404.
 */
class CrashRecoveryIT {
    private static final int RESTARTS = 20;
    private static final List<String> HEARTBEATING = List.of("svc-beat-1", "svc-beat-2", "svc-beat-3", "svc-beat-4");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acknowledgedWritesSurviveTwentyKillsAndHeartbeatingServicesNeverSeeA404() throws Exception {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path workDir = Files.createDirectories(module.resolve("target/crash-it"));
        Path dataDir = Files.createTempDirectory(workDir, "data-");
        Path log = workDir.resolve("registry-" + dataDir.getFileName() + ".log");
        Random random = new Random(42);
        long started = System.nanoTime();
        try (RegistryProcess registry = new RegistryProcess(RegistryProcess.packagedJar(), dataDir, log)) {
            registry.start();
            Workload workload = new Workload(registry.root());
            workload.start(HEARTBEATING, 15);
            for (int restart = 1; restart <= RESTARTS; restart++) {
                int writes = workload.acknowledgedWrites.get();
                int beats = workload.successfulBeats.get();
                Await.until(Duration.ofSeconds(15), () -> workload.acknowledgedWrites.get() >= writes + 5
                        && workload.successfulBeats.get() >= beats + HEARTBEATING.size(),
                        "progress before kill " + restart);
                long pauseUntil = System.nanoTime() + random.nextInt(300) * 1_000_000L;   // kill at a random moment
                Await.until(Duration.ofSeconds(1), () -> System.nanoTime() - pauseUntil >= 0, "random kill point");
                registry.kill();
                registry.start();
            }
            Await.until(Duration.ofSeconds(15), () -> workload.successfulBeats.get() > 0
                    && workload.heartbeat404s.isEmpty(), "heartbeats after the last restart");
            workload.stop();
            // One more kill once everything is quiet: nothing acknowledged may depend on a later flush.
            registry.kill();
            registry.start();

            assertTrue(workload.heartbeat404s.isEmpty(), "heartbeating services saw 404s: " + workload.heartbeat404s);
            assertTrue(workload.serverErrors.isEmpty(), "unexpected answers: " + workload.serverErrors);
            verifyConfiguration(workload);
            verifyServices(workload);
            verifyNoSpuriousEvents(workload);
            System.out.printf("[crash] %d kill -9 restarts in %d s: %d acknowledged writes (%d configuration values,"
                            + " %d registrations) all present, %d unanswered writes, %d heartbeats (%d unanswered),"
                            + " no 404%n", RESTARTS + 1, (System.nanoTime() - started) / 1_000_000_000L,
                    workload.acknowledgedWrites.get(), workload.acknowledgedConfiguration.size(),
                    workload.acknowledgedServices.size(), workload.unansweredWrites.get(),
                    workload.successfulBeats.get(), workload.unansweredBeats.get());
        }
    }

    private static void verifyConfiguration(Workload workload) throws Exception {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> written : workload.acknowledgedConfiguration.entrySet()) {
            HttpResponse<String> answer = workload.send("GET", "/configuration" + written.getKey(), null);
            if (answer.statusCode() != 200
                    || !written.getValue().equals(JSON.readTree(answer.body()).path("value").asText())) {
                missing.add(written.getKey() + " -> " + answer.statusCode() + " " + answer.body());
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged configuration values lost: " + missing);
    }

    private static void verifyServices(Workload workload) throws Exception {
        List<String> missing = new ArrayList<>();
        for (String id : workload.acknowledgedServices) {
            if (workload.send("GET", "/services/" + id, null).statusCode() != 200) {
                missing.add(id);
            }
        }
        for (String id : HEARTBEATING) {
            if (workload.send("GET", "/services/" + id, null).statusCode() != 200) {
                missing.add(id + " (heartbeating)");
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged registrations lost: " + missing);
    }

    private static void verifyNoSpuriousEvents(Workload workload) throws Exception {
        for (String type : List.of("service.timeout", "service.join")) {
            List<String> ids = new ArrayList<>();
            String marker = null;
            for (int page = 0; page < 100; page++) {
                HttpResponse<String> answer = workload.send("GET", "/events?limit=1000&type=" + type
                        + (marker == null ? "" : "&marker=" + marker), null);
                assertEquals(200, answer.statusCode(), answer::body);
                JsonNode body = JSON.readTree(answer.body());
                body.path("values").forEach(event -> ids.add(event.path("payload").path("id").asText()));
                marker = body.path("metadata").path("next_marker").asText(null);
                if (marker == null) {
                    break;
                }
            }
            for (String id : HEARTBEATING) {
                long count = ids.stream().filter(id::equals).count();
                assertEquals(type.equals("service.join") ? 1 : 0, count, type + " events for " + id);
            }
        }
    }
}
