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
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java -jar autoreg-agent.jar attach <pid> key=value…}: a running JVM registers the listeners it already has,
 * on JDK 17 and 25 (attached with the target's own JDK, as an operator would).
 */
class AttachIT {

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void attachingToARunningAppRegistersItsExistingListenerAndSigtermDeregistersIt(int jdk) throws Exception {
        attachAndCheck(jdk, "attached-" + jdk, null);
    }

    /** A JVM started to allow attach (JEP 451) prints no warning, and attach has nothing to say about it. */
    @Test
    void aJvmStartedWithEnableDynamicAgentLoadingPrintsNothing() throws Exception {
        attachAndCheck(25, "attached-allowed", "-XX:+EnableDynamicAgentLoading");
    }

    /**
     * An {@code attach} to a JVM started with {@code -javaagent} (its classes from the boot loader): nothing loaded, and
     * said so on the operator's side, not as a refusal on the application's output.
     */
    @Test
    void attachingToAJvmStartedWithTheAgentDoesNothingAndSaysSo() throws Exception {
        try (RegistryFixture registry = RegistryFixture.start();
                ChildJvm app = AgentApps.underAgent(AgentApps.jdk17(), registry, "started-with-agent", null)
                        .jar(Artifacts.sampleAppJar(), "--port", "0")
                        .start()) {
            AgentApps.awaitRegistered(registry, "started-with-agent", Duration.ofSeconds(10), app);
            String output = AgentApps.attach(17, app.pid());
            assertEquals(
                    "autoreg agent already loaded in " + app.pid() + " ("
                            + Path.of(Artifacts.agentJar()).toAbsolutePath() + "): nothing done",
                    output.strip());
            assertTrue(app.stderrLines().stream().noneMatch(l -> l.contains("already loaded")), app.output());
            AgentApps.terminateAndExpectDeregistered(registry, "started-with-agent", app);
        }
    }

    private static void attachAndCheck(int jdk, String name, String jvmOption) throws Exception {
        ChildJvm.Builder target = ChildJvm.builder().javaHome(AgentApps.jdk(jdk));
        if (jvmOption != null) {
            target.jvmOption(jvmOption);
        }
        try (RegistryFixture registry = RegistryFixture.start();
                ChildJvm app =
                        target.jar(Artifacts.sampleAppJar(), "--port", "0").start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            String output = AgentApps.attach(
                    jdk,
                    app.pid(),
                    "registry.url=" + registry.apiUrl(),
                    "service.name=" + name,
                    "heartbeat.timeout=3s");

            JsonNode service = AgentApps.awaitRegistered(registry, name, Duration.ofSeconds(3), app);
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText());
            assertEquals(3, service.path("heartbeat_timeout").asInt(), "agent arguments given to attach apply");
            // Through the launcher jar, not the agent jar's Boot-Class-Path: nothing from the JVM on the host's output
            // but, on Java 21+ not started to allow it, JEP 451's warning about the dynamically loaded agent, which
            // attach tells the operator about. And the launcher jar is gone.
            boolean jep451 = jdk >= 21 && jvmOption == null;
            assertEquals(jep451, output.contains("JEP 451"), output);
            assertTrue(
                    app.stdoutLines().stream()
                            .noneMatch(l -> l.toLowerCase(Locale.ROOT).contains("warning") || l.contains("Illegal")),
                    app.output());
            List<String> warnings = app.stderrLines().stream()
                    .filter(l -> l.toLowerCase(Locale.ROOT).contains("warning"))
                    .toList();
            if (jep451) {
                assertTrue(
                        !warnings.isEmpty()
                                && warnings.get(0).startsWith("WARNING: A Java agent has been loaded dynamically")
                                && warnings.stream().allMatch(l -> l.startsWith("WARNING: ")),
                        app.output());
            } else {
                assertEquals(List.of(), warnings, app.output());
            }
            // Attached once more: the agent is seen in the JVM (its jar, through the system class loader now) and not
            // loaded again, so the application's stderr has no refusal and no second JEP 451 warning.
            String again = AgentApps.attach(jdk, app.pid(), "service.name=other");
            assertTrue(
                    again.startsWith("autoreg agent already loaded in " + app.pid() + " (")
                            && again.contains(
                                    "autoreg-agent.jar): nothing done; the arguments given here are not" + " applied"),
                    again);
            assertEquals(
                    warnings.size(),
                    app.stderrLines().stream()
                            .filter(l -> l.toLowerCase(Locale.ROOT).contains("warning"))
                            .count(),
                    app.output());
            assertTrue(app.stderrLines().stream().noneMatch(l -> l.contains("already loaded")), app.output());
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
