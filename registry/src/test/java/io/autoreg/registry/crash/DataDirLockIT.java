package io.autoreg.registry.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two registry processes on one data dir: the second exits with one line naming the dir and the first's pid. */
class DataDirLockIT {
    @Test
    void aSecondRegistryProcessOnTheSameDataDirRefusesInOneLineAndTheFirstKeepsServing() throws Exception {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path workDir = Files.createDirectories(module.resolve("target/lock-it"));
        Path dataDir = Files.createTempDirectory(workDir, "data-");
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (RegistryProcess first = new RegistryProcess(
                RegistryProcess.packagedJar(),
                dataDir,
                workDir.resolve("first-" + dataDir.getFileName() + ".log"),
                null)) {
            first.start();
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process second = new ProcessBuilder(List.of(
                            java,
                            "-Xmx128m",
                            "-jar",
                            RegistryProcess.packagedJar().toString(),
                            "--port",
                            "0",
                            "--bind",
                            "127.0.0.1",
                            "--data",
                            dataDir.toString()))
                    .redirectErrorStream(true)
                    .start();
            String output;
            try {
                assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second registry did not exit");
                output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                second.destroyForcibly();
            }
            System.out.print("[lock] second registry exited " + second.exitValue() + ": " + output);
            assertEquals(1, second.exitValue(), output);
            assertEquals(1, output.strip().lines().count(), "one line: " + output);
            assertTrue(
                    output.startsWith(
                            "autoreg-registry: cannot start the registry server: data dir " + dataDir.toAbsolutePath()
                                    + " is in use by another registry (pid " + first.pid() + ", lock "),
                    output);

            HttpResponse<String> write = client.send(
                    HttpRequest.newBuilder(URI.create(first.root() + "/v1.0/t/configuration/after-second"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"kept\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, write.statusCode(), write.body());
            first.kill();
            first.start();
            HttpResponse<String> read = client.send(
                    HttpRequest.newBuilder(URI.create(first.root() + "/v1.0/t/configuration/after-second"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(
                    200,
                    read.statusCode(),
                    "the first registry's write after the second tried to start: " + read.body());
        }
    }
}
