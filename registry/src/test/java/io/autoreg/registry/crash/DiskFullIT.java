package io.autoreg.registry.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A full disk, for real: the registry child runs on a small tmpfs that a filler file fills. Refused
 * writes answer 503 with the fault body and are not readable; after space is freed, 100 acknowledged
 * writes survive kill -9; and a start on a full disk needs no room (no snapshot) and serves reads.
 * Mounting needs root, which CI has; elsewhere the test fails and says so rather than skipping.
 */
class DiskFullIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void refusedWritesAre503AndUnreadableAndEveryWriteAcknowledgedAfterSpaceIsFreedSurvivesKill9() throws Exception {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path workDir = Files.createDirectories(module.resolve("target/diskfull-it"));
        Path mount = Files.createTempDirectory(workDir, "tmpfs-");
        Path log = workDir.resolve("registry-" + mount.getFileName() + ".log");
        mountTmpfs(mount, "8m");
        Path filler = mount.resolve("filler");
        RegistryProcess registry = new RegistryProcess(RegistryProcess.packagedJar(), mount.resolve("data"), log, null);
        try {
            registry.start();
            URI root = registry.root();
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                assertEquals(204, put(root, "before-" + i).statusCode());
                acknowledged.add("before-" + i);
            }

            fill(filler);
            String refused = writeUntilRefused(root, "full-", acknowledged);
            assertTrue(refused != null, "no write was refused on a full disk");
            HttpResponse<String> service =
                    send(root, "POST", "/v1.0/t/services", "{\"id\":\"svc-refused\",\"heartbeat_timeout\":30}");
            assertEquals(503, service.statusCode(), "a service create on the full disk: " + service.body());
            assertEquals(404, get(root, refused).statusCode(), "a refused write is not readable");
            assertEquals(
                    404,
                    send(root, "GET", "/v1.0/t/services/svc-refused", null).statusCode(),
                    "a refused service is not readable");
            for (String key : acknowledged) {
                assertEquals(200, get(root, key).statusCode(), "acknowledged before the disk filled: " + key);
            }
            String text = Files.readString(log);
            assertTrue(
                    text.contains("is full") && text.contains("Free space in that file system"),
                    "the log gives a hint: " + text);

            Files.delete(filler);
            for (int i = 0; i < 100; i++) {
                HttpResponse<String> answer = put(root, "after-" + i);
                assertEquals(204, answer.statusCode(), "a write once space is free: " + answer.body());
                acknowledged.add("after-" + i);
            }
            registry.kill();
            registry.start();
            assertAllThere(root, acknowledged);
            assertEquals(404, get(root, refused).statusCode(), "the refused write stays refused after a restart");
            assertEquals(
                    404, send(root, "GET", "/v1.0/t/services/svc-refused", null).statusCode());

            // A start on a full disk: no start-up snapshot, reads served, writes refused until there is room.
            registry.kill();
            fill(filler);
            registry.start();
            assertAllThere(root, acknowledged);
            assertTrue(
                    Files.readString(log).contains("starting without one"), "the start says it skipped the snapshot");
            assertTrue(
                    writeUntilRefused(root, "while-full-", acknowledged) != null,
                    "a write refused after a start on a full disk");
            Files.delete(filler);
            assertEquals(204, put(root, "last").statusCode());
            acknowledged.add("last");
            registry.kill();
            registry.start();
            assertAllThere(root, acknowledged);
            System.out.printf(
                    "[disk-full] refused %s with 503; %d acknowledged writes (100 after freeing space) all"
                            + " there after kill -9; a start on a full disk served every one of them%n",
                    refused, acknowledged.size());
        } finally {
            registry.kill();
            unmount(mount);
        }
    }

    /**
     * Writes {@code prefix}0, 1, ... until one is refused, and returns its key; the journal's last page may
     * still take a record or two on a full disk, and those are acknowledged like any other.
     */
    private String writeUntilRefused(URI root, String prefix, List<String> acknowledged) throws Exception {
        for (int i = 0; i < 500; i++) {
            HttpResponse<String> answer = put(root, prefix + i);
            if (answer.statusCode() == 204) {
                acknowledged.add(prefix + i);
                continue;
            }
            assertEquals(503, answer.statusCode(), "a write refused for a full disk: " + answer.body());
            JsonNode fault = JSON.readTree(answer.body());
            assertEquals("systemFailureError", fault.get("type").asText(), answer.body());
            assertEquals(503, fault.get("code").asInt(), answer.body());
            assertTrue(fault.get("details").asText().contains("disk is full"), answer.body());
            System.out.println("[disk-full] PUT " + prefix + i + " -> 503 " + answer.body());
            return prefix + i;
        }
        return null;
    }

    private void assertAllThere(URI root, List<String> keys) throws Exception {
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            HttpResponse<String> answer = get(root, key);
            if (answer.statusCode() != 200
                    || !JSON.readTree(answer.body()).get("value").asText().equals("value-" + key)) {
                missing.add(key + " (" + answer.statusCode() + ")");
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " of " + keys.size() + " acknowledged writes lost: " + missing);
    }

    private HttpResponse<String> put(URI root, String key) throws Exception {
        return send(root, "PUT", "/v1.0/t/configuration/" + key, "{\"value\":\"value-" + key + "\"}");
    }

    private HttpResponse<String> get(URI root, String key) throws Exception {
        return send(root, "GET", "/v1.0/t/configuration/" + key, null);
    }

    private HttpResponse<String> send(URI root, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Writes zeros until the file system says it is full. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (long written = 0; written < 1L << 30; written += chunk.length) {
                out.write(chunk);
                out.flush();
            }
            fail("the tmpfs never filled up");
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    private static void mountTmpfs(Path mount, String size) throws Exception {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            fail("DiskFullIT mounts a small tmpfs to fill a disk for real and so must run as root (CI does); uid is "
                    + uid);
        }
        String output = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString());
        if (!Files.getFileStore(mount).type().equals("tmpfs")) {
            fail("mounting a tmpfs on " + mount + " failed: " + output);
        }
    }

    private static void unmount(Path mount) throws Exception {
        String output = run("umount", mount.toString());
        if (Files.getFileStore(mount).type().equals("tmpfs")) {
            output += run("umount", "-l", mount.toString());
        }
        if (Files.getFileStore(mount).type().equals("tmpfs")) {
            throw new AssertionError("cannot unmount the tmpfs at " + mount + ": " + output);
        }
        Files.deleteIfExists(mount);
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
