package io.autoreg.backendsit;

import io.autoreg.testing.LoggedChild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sidecar (sidecar/target/autoreg-sidecar.jar) as a child JVM watching one HTTP neighbour on
 * loopback every 500 ms (deregistered after 2 failed checks), registering it with the given backend
 * with a 3 s heartbeat timeout (or another).
 */
final class Sidecar extends LoggedChild {

    static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
    static final int FALL = 2;

    private Sidecar(List<String> command, Path log) throws IOException {
        super("sidecar", command, log);
    }

    static Sidecar watching(String type, String url, String name, String id, int neighbourPort) throws IOException {
        return watching(type, url, name, id, neighbourPort, Duration.ofSeconds(3));
    }

    /** With the given heartbeat timeout, or the sidecar's default (30 s) when null. */
    static Sidecar watching(
            String type, String url, String name, String id, int neighbourPort, Duration heartbeatTimeout)
            throws IOException {
        Path log = Files.createTempFile("autoreg-sidecar-" + type + "-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-jar",
                SampleApp.artifact("sidecar.jar").toString(),
                "run",
                "--set",
                "registry.type=" + type,
                "--registry-url",
                url,
                "--address",
                "127.0.0.1",
                "--port",
                String.valueOf(neighbourPort),
                "--check",
                "http",
                "--path",
                "/health",
                "--name",
                name,
                "--id",
                id,
                "--interval",
                CHECK_INTERVAL.toMillis() + "ms",
                "--timeout",
                "400ms",
                "--fall",
                String.valueOf(FALL)));
        if (heartbeatTimeout != null) {
            command.addAll(List.of("--heartbeat-timeout", heartbeatTimeout.toMillis() + "ms"));
        }
        return new Sidecar(command, log);
    }
}
