package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import fixture.agents.ChannelOpeningAgent;
import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.AgentIt;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's runtime starts only when the application listens: seen by the start-up watch in {@code /proc},
 * or after the watch's window by the hooks. A JVM that never listens never runs it, an app that listens late
 * is registered by the hooks, and a listener another agent opened before autoreg's {@code premain} is the
 * JVM's own, not the application's.
 */
class AgentLazyStartIT {

    /** The agent's internal knob for the start-up watch's window (StartupWatch.WINDOW_PROPERTY). */
    private static final String WATCH_WINDOW_PROPERTY = "io.autoreg.agent.internal.startup-watch-millis";

    @RegisterExtension
    static final AgentIt AGENT = new AgentIt();

    @TempDir
    static Path work;

    private static Path otherAgentJar;

    @BeforeAll
    static void start() throws IOException {
        otherAgentJar = agentJarOf(ChannelOpeningAgent.class, work.resolve("other-agent.jar"));
    }

    @Test
    void aJvmThatNeverListensNeverStartsTheAgentsRuntimeAndItsWatchEnds() throws Exception {
        try (ChildJvm app = AGENT.underAgent("no-listener", "")
                .systemProperty(WATCH_WINDOW_PROPERTY, "500")
                .mainClass(AgentApps.testClasses(), "fixture.apps.NoListenerApp")
                .start()) {
            app.awaitLine(Pattern.compile("no-listener app running"), Duration.ofSeconds(20));
            Await.until(
                    Duration.ofSeconds(10),
                    () -> !threadNames(app).contains("\"autoreg-agent\""),
                    "the agent's thread ends when its start-up watch gives up");
            Await.holdsThroughout(
                    Duration.ofSeconds(1),
                    () -> !threadNames(app).contains("autoreg-"),
                    "no autoreg thread in a JVM without listeners");
            assertTrue(AGENT.registry().serviceNamed("no-listener").isEmpty());
        }
    }

    @Test
    void anAppThatListensOnlyAfterTheStartupWatchIsRegisteredByTheHooksAndDeregisteredWhenItCloses() throws Exception {
        String name = "listens-late";
        try (ChildJvm app = AGENT.underAgent(name, "")
                .systemProperty(WATCH_WINDOW_PROPERTY, "300")
                .mainClass(AgentApps.testClasses(), "fixture.apps.PlainServerSocketApp", "--listen-after-stdin-line")
                .start()) {
            app.awaitLine(Pattern.compile("waiting to listen"), Duration.ofSeconds(20));
            Await.until(
                    Duration.ofSeconds(10),
                    () -> !threadNames(app).contains("\"autoreg-agent\""),
                    "the agent's thread ends when its start-up watch gives up");
            Await.holdsThroughout(
                    Duration.ofMillis(500),
                    () -> !threadNames(app).contains("\"autoreg-agent\""),
                    "no agent thread again before the app listens");

            app.process().getOutputStream().write("listen now\n".getBytes(StandardCharsets.US_ASCII));
            app.process().getOutputStream().flush();
            int port =
                    Integer.parseInt(app.awaitLine(Pattern.compile("listening on port (\\d+)"), Duration.ofSeconds(20))
                            .group(1));
            JsonNode service = AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(2), app);
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText(), service.toString());

            assertEquals(200, Http.status(port, "/close", Duration.ofSeconds(5)));
            app.awaitLine(Pattern.compile("listener closed"), Duration.ofSeconds(20));
            Await.until(
                    Duration.ofSeconds(5),
                    () -> AGENT.registry().serviceNamed(name).isEmpty(),
                    "the closed listener is deregistered");
        }
    }

    @Test
    void aListenerClassLoadedByAnotherAgentBeforeOursStillLetsTheAppRegister() {
        String name = "after-other-agent";
        try (ChildJvm app = ChildJvm.builder()
                .jvmOption("-javaagent:" + otherAgentJar)
                .jvmOption("-javaagent:" + Artifacts.agentJar() + "=registry.url="
                        + AGENT.registry().apiUrl() + ",service.name=" + name)
                .jar(Artifacts.sampleAppJar(), "--port", "0")
                .start()) {
            int otherPort = Integer.parseInt(
                    app.awaitLine(Pattern.compile("other agent bound port (\\d+)"), Duration.ofSeconds(20))
                            .group(1));
            int port = app.awaitPort(Duration.ofSeconds(20));
            JsonNode service = AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(2), app);
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText(), service.toString());
            assertEquals(
                    String.valueOf(port),
                    service.path("metadata").path("ports").asText(),
                    "the other agent's listener (" + otherPort
                            + ", open before autoreg's premain) is the JVM's, not the app's: " + service);
            AgentApps.terminateAndExpectDeregistered(AGENT.registry(), name, app);
        }
    }

    /**
     * An app whose only listener is on loopback registers nothing, by default; the operator who raises the log
     * level to find out why is told, with the setting that registers it (this said nothing, even at debug).
     */
    @Test
    void aListenerOnLoopbackOnlyIsNotRegisteredAndTheInfoLogSaysWhyAndWhatRegistersIt() {
        String name = "loopback-only";
        try (ChildJvm app = AGENT.underAgent(name, "log.level=info")
                .mainClass(Artifacts.fixturesClasspath(), "io.autoreg.fixtures.SystemPropertiesApp")
                .start()) {
            int port = app.awaitPort(Duration.ofSeconds(30));
            String said = "info not registering port " + port + ": bound to loopback only, unreachable from other"
                    + " hosts (autoreg.agent.include-loopback = true registers it)";
            Await.until(
                    Duration.ofSeconds(10),
                    () -> app.stderrLines().stream().anyMatch(line -> line.endsWith(said)),
                    "the info line: " + said + "\n" + app.output());
            Await.holdsThroughout(
                    Duration.ofSeconds(1),
                    () -> AGENT.registry().serviceNamed(name).isEmpty(),
                    "a loopback-only listener is not registered\n" + app.output());
        }
    }

    private static String threadNames(ChildJvm app) {
        String dump = app.threadDump();
        assertTrue(dump.contains("\"main\""), dump);
        return dump;
    }

    /** A one-class agent jar built from the test classes. */
    private static Path agentJarOf(Class<?> agent, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", agent.getName());
        String entry = agent.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(Path.of(AgentApps.testClasses(), entry)));
            out.closeEntry();
        }
        return jar;
    }
}
