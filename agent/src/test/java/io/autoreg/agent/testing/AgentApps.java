package io.autoreg.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Child JVMs under the agent, pointed at a registry, and the checks every IT repeats. */
public final class AgentApps {

    private AgentApps() {}

    public static Path jdk17() {
        return Path.of(System.getProperty("java.home"));
    }

    /** The JDK of the given feature version: the build JDK for 17, Temurin for 25. */
    public static Path jdk(int version) {
        return version == 25 ? Artifacts.jdk25() : jdk17();
    }

    /** A builder with {@code -javaagent:…=registry.url=…,service.name=NAME[,extra]} and a 3 s heartbeat timeout. */
    public static ChildJvm.Builder underAgent(
            Path javaHome, RegistryFixture registry, String name, String extraArguments) {
        return ChildJvm.builder()
                .javaHome(javaHome)
                .agent(
                        Artifacts.agentJar(),
                        "registry.url=" + registry.apiUrl() + ",service.name=" + name
                                + (extraArguments == null || extraArguments.isEmpty() ? "" : "," + extraArguments))
                .systemProperty("autoreg.heartbeat.timeout", "3s");
    }

    /** The test classes directory, the class path of the JDK-only fixture apps ({@code fixture.apps}). */
    public static String testClasses() {
        try {
            return Path.of(AgentApps.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (bounded) for the registration of NAME and returns it. */
    public static JsonNode awaitRegistered(RegistryFixture registry, String name, Duration within, ChildJvm app) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        Await.until(
                within,
                () -> registry.serviceNamed(name)
                        .map(s -> {
                            found.set(s);
                            return true;
                        })
                        .orElse(false),
                name + " registered\n" + app.output());
        return found.get();
    }

    /** SIGTERM; the registration must be gone by the time the JVM has exited. */
    public static void terminateAndExpectDeregistered(RegistryFixture registry, String name, ChildJvm app) {
        app.terminate();
        if (!app.awaitExit(Duration.ofSeconds(10))) {
            throw new AssertionError("did not exit after SIGTERM\n" + app.output());
        }
        if (registry.serviceNamed(name).isPresent()) {
            throw new AssertionError(name + " still registered after the JVM exited\n" + app.output());
        }
    }

    /**
     * Runs {@code java -jar autoreg-agent.jar attach PID ARGUMENTS…} on the given JDK; it must finish (60 s) with exit
     * status 0. Returns what it printed (stdout and stderr).
     */
    public static String attach(int jdk, long pid, String... agentArguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                jdk(jdk).resolve("bin").resolve("java").toString(),
                "-jar",
                Artifacts.agentJar(),
                "attach",
                String.valueOf(pid)));
        command.addAll(List.of(agentArguments));
        Process attach = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(attach.getInputStream().readAllBytes());
        assertTrue(attach.waitFor(60, TimeUnit.SECONDS), "attach finished");
        assertEquals(0, attach.exitValue(), output);
        return output;
    }
}
