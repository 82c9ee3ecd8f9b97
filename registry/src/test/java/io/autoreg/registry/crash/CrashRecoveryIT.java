package io.autoreg.registry.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.testing.Await;
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
    private static final String SESSION_SERVICE = "svc-in-beating-session";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acknowledgedWritesSurviveTwentyKillsAndHeartbeatingServicesNeverSeeA404() throws Exception {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path workDir = Files.createDirectories(module.resolve("target/crash-it"));
        Path dataDir = Files.createTempDirectory(workDir, "data-");
        Path log = workDir.resolve("registry-" + dataDir.getFileName() + ".log");
        // A tiny journal limit, so that kills also land in the middle of snapshots and journal switches.
        // A stress test, not a fleet: on a fast disk its writers may pass a tenant's default write budget.
        Path config = Files.writeString(
                workDir.resolve("crash-" + dataDir.getFileName() + ".conf"),
                "autoreg.server.journal.compact-after = 8k\n"
                        + "autoreg.server.rate-limit { reads = 1000000000, writes = 1000000000 }\n");
        Random random = new Random(42);
        long started = System.nanoTime();
        try (RegistryProcess registry = new RegistryProcess(RegistryProcess.packagedJar(), dataDir, log, config)) {
            registry.start();
            Workload workload = new Workload(registry.root());
            workload.start(HEARTBEATING, SESSION_SERVICE, 15);
            for (int restart = 1; restart <= RESTARTS; restart++) {
                int writes = workload.acknowledgedWrites.get();
                int beats = workload.successfulBeats.get();
                Await.until(
                        Duration.ofSeconds(15),
                        () -> workload.acknowledgedWrites.get() >= writes + 10
                                && workload.successfulBeats.get() >= beats + HEARTBEATING.size(),
                        "progress before kill " + restart);
                long pauseUntil = System.nanoTime() + random.nextInt(300) * 1_000_000L; // kill at a random moment
                Await.until(Duration.ofSeconds(1), () -> System.nanoTime() - pauseUntil >= 0, "random kill point");
                registry.kill();
                registry.start();
            }
            Await.until(
                    Duration.ofSeconds(15),
                    () -> workload.successfulBeats.get() > 0 && workload.heartbeat404s.isEmpty(),
                    "heartbeats after the last restart");
            workload.stop();
            // One more kill once everything is quiet: nothing acknowledged may depend on a later flush.
            registry.kill();
            registry.start();

            assertTrue(workload.heartbeat404s.isEmpty(), "heartbeating services saw 404s: " + workload.heartbeat404s);
            assertTrue(workload.unexpectedAnswers.isEmpty(), "unexpected answers: " + workload.unexpectedAnswers);
            verifyConfiguration(workload);
            verifyServices(workload);
            verifyNoSpuriousEvents(workload);
            System.out.printf(
                    "[crash] %d kill -9 restarts in %d s: %d acknowledged writes (sets, overwrites, deletes of"
                            + " %d configuration values and %d services) all as acknowledged, %d unanswered writes,"
                            + " %d heartbeats (%d unanswered), no 404%n",
                    RESTARTS + 1,
                    (System.nanoTime() - started) / 1_000_000_000L,
                    workload.acknowledgedWrites.get(),
                    workload.configurationOutcomes.size(),
                    workload.serviceOutcomes.size(),
                    workload.unansweredWrites.get(),
                    workload.successfulBeats.get(),
                    workload.unansweredBeats.get());
        }
    }

    private static void verifyConfiguration(Workload workload) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, java.util.Set<String>> key : workload.configurationOutcomes.entrySet()) {
            HttpResponse<String> answer = workload.send("GET", "/configuration" + key.getKey(), null);
            String found = answer.statusCode() == 404
                    ? Workload.ABSENT
                    : answer.statusCode() == 200
                            ? JSON.readTree(answer.body()).path("value").asText()
                            : "status " + answer.statusCode();
            if (!key.getValue().contains(found)) {
                wrong.add(key.getKey() + " is " + found + ", acknowledged " + key.getValue());
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " configuration values differ from what was acknowledged: " + wrong);
    }

    private static void verifyServices(Workload workload) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, java.util.Set<String>> service : workload.serviceOutcomes.entrySet()) {
            int status =
                    workload.send("GET", "/services/" + service.getKey(), null).statusCode();
            String found = status == 200 ? "present" : status == 404 ? Workload.ABSENT : "status " + status;
            if (!service.getValue().contains(found)) {
                wrong.add(service.getKey() + " is " + found + ", acknowledged " + service.getValue());
            }
        }
        List<String> beating = new ArrayList<>(HEARTBEATING);
        beating.add(SESSION_SERVICE);
        for (String id : beating) {
            if (workload.send("GET", "/services/" + id, null).statusCode() != 200) {
                wrong.add(id + " (kept alive by heartbeats) is gone");
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " registrations differ from what was acknowledged: " + wrong);
    }

    private static void verifyNoSpuriousEvents(Workload workload) throws Exception {
        for (String type : List.of("service.timeout", "service.join")) {
            List<String> ids = new ArrayList<>();
            String marker = null;
            for (int page = 0; page < 100; page++) {
                HttpResponse<String> answer = workload.send(
                        "GET", "/events?limit=1000&type=" + type + (marker == null ? "" : "&marker=" + marker), null);
                assertEquals(200, answer.statusCode(), answer::body);
                JsonNode body = JSON.readTree(answer.body());
                body.path("values")
                        .forEach(event ->
                                ids.add(event.path("payload").path("id").asText()));
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
