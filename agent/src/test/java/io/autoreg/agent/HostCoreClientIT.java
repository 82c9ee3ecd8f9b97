package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.agent.testing.RegistryFixture;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host app with autoreg's own client library (autoreg-core and its OkHttp, Kotlin, Jackson, Config) on its
 * class path, under the agent: the agent jar carries the core relocated to {@code io.autoreg.agent.shaded.core},
 * so the two copies never meet. The host registers a service of its own with the client and keeps it alive, the
 * agent registers the host's listener, and the host's core classes come from its own jar.
 *
 * <p>To make a shared copy visible, the host's core is of a "different version": first on its class path sits
 * an {@code io.autoreg.core.internal.net.AddressResolver} without any method (a class the agent calls and the
 * client does not). An agent that loaded the core under its original name would get the host's class and fail
 * with a NoSuchMethodError instead of registering.
 */
class HostCoreClientIT {

    @Test
    void aHostThatUsesTheCoreClientKeepsItsCopyAndTheAgentStillRegistersIt(@TempDir Path dir) throws IOException {
        String name = "host-core-client";
        String ownId = "host-own-service";
        try (RegistryFixture registry = RegistryFixture.start();
                ChildJvm app = AgentApps.underAgent(AgentApps.jdk17(), registry, name, "")
                        .mainClass(
                                hostClasspath(otherCoreVersion(dir)),
                                "fixture.apps.HostCoreClientApp",
                                registry.apiUrl(),
                                ownId)
                        .start()) {
            assertEquals(
                    "true",
                    app.awaitLine(Pattern.compile("host client registered (\\w+)"), Duration.ofSeconds(20))
                            .group(1),
                    app.output());
            String hostCore = app.awaitLine(Pattern.compile("host core from (\\S+)"), Duration.ofSeconds(5))
                    .group(1);
            String hostLifecycle = app.awaitLine(Pattern.compile("host lifecycle from (\\S+)"), Duration.ofSeconds(5))
                    .group(1);
            String agentJar = Path.of(Artifacts.agentJar()).toAbsolutePath().toString();
            assertFalse(hostCore.contains("autoreg-agent"), "the host's client is its own: " + hostCore);
            assertEquals(
                    hostCore, hostLifecycle, "the host's internal classes come from its own core, not the agent's");
            assertFalse(hostLifecycle.equals(agentJar), hostLifecycle);

            int port = app.awaitPort(Duration.ofSeconds(10));
            JsonNode service = AgentApps.awaitRegistered(registry, name, Duration.ofSeconds(5), app);
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText(), service.toString());
            Await.until(
                    Duration.ofSeconds(2),
                    () -> registry.services().stream()
                            .anyMatch(s -> s.path("id").asText().equals(ownId)),
                    "the host's own registration\n" + app.output());
            assertTrue(
                    app.stderrLines().stream().noneMatch(l -> l.contains("Exception") || l.contains("Error")),
                    app.output());
            AgentApps.terminateAndExpectDeregistered(registry, name, app);
        }
    }

    /** The host's core "of another version", then the fixture apps and the jars of the core's client and its libraries. */
    private static String hostClasspath(Path otherCoreVersion) {
        Set<String> entries = new LinkedHashSet<>();
        entries.add(otherCoreVersion.toString());
        entries.add(AgentApps.testClasses());
        for (String type : List.of(
                "io.autoreg.core.client.ServiceRegistryClient",
                "okhttp3.OkHttpClient",
                "okio.Buffer",
                "kotlin.Unit",
                "com.fasterxml.jackson.databind.ObjectMapper",
                "com.fasterxml.jackson.core.JsonFactory",
                "com.fasterxml.jackson.annotation.JsonProperty",
                "com.typesafe.config.Config")) {
            entries.add(location(type));
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Compiles the method-less AddressResolver into {@code dir/classes}. */
    private static Path otherCoreVersion(Path dir) throws IOException {
        Path source = dir.resolve("src/io/autoreg/core/internal/net/AddressResolver.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package io.autoreg.core.internal.net;\n\npublic final class AddressResolver {\n}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(
                0,
                javac.run(null, null, null, "--release", "17", "-d", classes.toString(), source.toString()),
                "javac");
        return classes;
    }

    /** The jar (or classes directory) this test JVM loads the type from: the build's own autoreg-core and libraries. */
    private static String location(String type) {
        try {
            return Path.of(Class.forName(type)
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
