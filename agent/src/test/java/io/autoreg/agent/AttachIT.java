package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.agent.testing.RegistryFixture;
import io.autoreg.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code java -jar autoreg-agent.jar attach <pid> key=value…}: a running JVM registers the listeners it already has. */
class AttachIT {

    @Test
    void attachingToARunningAppRegistersItsExistingListenerAndSigtermDeregistersIt() throws Exception {
        String name = "attached";
        try (RegistryFixture registry = RegistryFixture.start();
                ChildJvm app = ChildJvm.builder()
                        .jar(Artifacts.sampleAppJar(), "--port", "0")
                        .start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            Process attach = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            Artifacts.agentJar(),
                            "attach",
                            String.valueOf(app.pid()),
                            "registry.url=" + registry.apiUrl(),
                            "service.name=" + name,
                            "heartbeat.timeout=3s")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(attach.getInputStream().readAllBytes());
            assertTrue(attach.waitFor(60, TimeUnit.SECONDS), "attach finished");
            assertEquals(0, attach.exitValue(), output);

            JsonNode service = AgentApps.awaitRegistered(registry, name, Duration.ofSeconds(3), app);
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText());
            assertEquals(3, service.path("heartbeat_timeout").asInt(), "agent arguments given to attach apply");
            // through the launcher jar, not the agent jar's Boot-Class-Path: nothing from the JVM on the host's output,
            // and the launcher jar is gone
            assertTrue(
                    app.stdoutLines().stream().noneMatch(l -> l.contains("warning") || l.contains("Illegal")),
                    app.output());
            assertTrue(app.stderrLines().stream().noneMatch(l -> l.contains("warning")), app.output());
            try (var left =
                    Files.list(Path.of(Artifacts.agentJar()).toAbsolutePath().getParent())) {
                assertEquals(
                        List.of(),
                        left.filter(p -> p.getFileName().toString().startsWith(".autoreg-attach-"))
                                .toList());
            }
            AgentApps.terminateAndExpectDeregistered(registry, name, app);
        }
    }
}
