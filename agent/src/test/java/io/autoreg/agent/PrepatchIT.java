package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.AgentIt;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JDK's hooked classes are patched as {@code premain} loads them, before the application's {@code main}
 * (docs/architecture.md, "Start-up path"): an application that listens through them is registered, and deregistered
 * when it closes, without one class of the JVM being redefined — no retransformation, no safepoint operation. The
 * JVM's own log ({@code -Xlog:redefine+class+load}) is the witness: it names every class it redefines.
 */
class PrepatchIT {

    @RegisterExtension
    static final AgentIt AGENT = new AgentIt();

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void anAppListeningThroughTheJdkIsRegisteredWithNoClassRedefined(int jdk, @TempDir Path dir) throws Exception {
        String name = "prepatch-" + jdk;
        Path redefineLog = dir.resolve("redefine-" + jdk + ".log");
        ChildJvm app = AGENT.start(ChildJvm.builder()
                .javaHome(AgentApps.jdk(jdk))
                .agent(Artifacts.agentJar(), "registry.url=" + AGENT.registry().apiUrl() + ",service.name=" + name)
                .jvmOption("-Xlog:redefine+class+load=info:file=" + redefineLog)
                .jar(Artifacts.sampleAppJar(), "--port", "0"));
        app.awaitPort(Duration.ofSeconds(30));
        AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(10), app);
        List<String> redefined = Files.readAllLines(redefineLog).stream()
                .filter(l -> l.contains("redefined"))
                .toList();
        assertEquals(List.of(), redefined, "classes redefined; agent output:\n" + app.output());
        assertTrue(Files.exists(redefineLog), "the JVM wrote its log");
    }

    /** The witness itself: attached to a running JVM, the agent must retransform, and the log says so. */
    @Test
    void theLogNamesTheClassesARetransformationRedefines(@TempDir Path dir) throws Exception {
        Path redefineLog = dir.resolve("redefine-attached.log");
        ChildJvm app = AGENT.start(ChildJvm.builder()
                .jvmOption("-Xlog:redefine+class+load=info:file=" + redefineLog)
                .jar(Artifacts.sampleAppJar(), "--port", "0"));
        app.awaitPort(Duration.ofSeconds(30));
        String name = "prepatch-attached";
        Process attach = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        Artifacts.agentJar(),
                        "attach",
                        String.valueOf(app.pid()),
                        "registry.url=" + AGENT.registry().apiUrl(),
                        "service.name=" + name)
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(attach.waitFor(60, TimeUnit.SECONDS), "attach finished");
            assertEquals(0, attach.exitValue(), output);
        } finally {
            attach.destroyForcibly();
        }
        AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(10), app);
        List<String> lines = Files.readAllLines(redefineLog);
        assertTrue(
                lines.stream().anyMatch(l -> l.contains("redefined name=sun.nio.ch.ServerSocketChannelImpl")),
                "no redefinition logged for an attached agent: " + lines);
    }
}
