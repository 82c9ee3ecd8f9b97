package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.agent.testing.RegistryFixture;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host app with its own Jackson 2.17, OkHttp 3.14 and Typesafe Config 1.4.1 and its own
 * {@code application.conf}, under the agent configured by a file for the Registro backend — so the agent's own
 * (relocated) Config, OkHttp and Jackson are loaded in the same JVM (a service-registry URL would take the agent's
 * light client): the host keeps seeing only its own.
 */
class IsolationIT {

    @Test
    void theHostAppKeepsItsOwnLibraryVersionsAndConfigWhileTheAgentRunsItsOwn(@TempDir Path dir) throws IOException {
        try (RegistryFixture registry = RegistryFixture.start()) {
            Path config = dir.resolve("autoreg.conf");
            Files.writeString(
                    config,
                    "autoreg {\n  registry.type = registro\n  registry.url = \"http://127.0.0.1:" + registry.port()
                            + "/registro/1.0\"\n  service.name = isolation\n}\n");
            try (ChildJvm app = ChildJvm.builder()
                    .agent(Artifacts.agentJar(), "config=" + config)
                    .mainClass(Artifacts.fixturesClasspath(), "io.autoreg.fixtures.IsolationApp")
                    .start()) {
                int port = app.awaitPort(Duration.ofSeconds(30));
                // the full path (Typesafe Config, OkHttp, Jackson) in a cold JVM: slower than the 2 s of the fast path
                Await.until(
                        Duration.ofSeconds(8),
                        () -> registroStatus(registry, port).equals("up"),
                        "up in Registro\n" + app.output());

                JsonNode report = new ObjectMapper().readTree(Http.body(port, "/versions"));
                assertEquals("2.17.2", report.path("jackson").asText(), report.toString());
                assertEquals("okhttp/3.14.9", report.path("okhttp").asText(), report.toString());
                assertTrue(report.path("config").asText().endsWith("config-1.4.1.jar"), report.toString());
                assertEquals("hello from the host app", report.path("greeting").asText(), "its own application.conf");
                assertFalse(
                        report.path("autoregInConfig").asBoolean(),
                        "nothing of autoreg in the host's ConfigFactory.load()");
                assertEquals(200, report.path("okhttpCall").asInt(), "its OkHttp works");
                assertTrue(app.stderrLines().stream().noneMatch(l -> l.contains("[autoreg]")), app.output());
                app.terminate();
                assertTrue(app.awaitExit(Duration.ofSeconds(15)), "exits after SIGTERM\n" + app.output());
                assertEquals("out-of-service", registroStatus(registry, port), "deregistered\n" + app.output());
            }
        }
    }

    /** The status Registro gives the instance at this port: what Registro's own client filters on. */
    private static String registroStatus(RegistryFixture registry, int port) {
        JsonNode app;
        try {
            app = Http.mapper().readTree(Http.body(registry.port(), "/registro/1.0/apps/isolation"));
        } catch (IOException | RuntimeException notThereYet) {
            return "absent";
        }
        for (JsonNode instance : app.path("instances")) {
            if (instance.path("port").asInt() == port) {
                return instance.path("status").asText();
            }
        }
        return "absent";
    }
}
