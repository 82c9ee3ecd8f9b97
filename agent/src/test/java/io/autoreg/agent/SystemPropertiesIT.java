package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.AgentIt;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host's system properties stay a table of Strings, which {@code Properties.store()} and {@code list()} need,
 * however the agent's classes are loaded: under the jar's own name they come from the boot loader and the hooks in the
 * JDK's classes call them directly; a renamed jar and {@code attach} run them from the system class loader, which the
 * JDK's classes cannot name, and the hooks then reach them through it. Each case also closes the app's server while its
 * JVM keeps running: the registration goes, which the agent learns only from the close hook, so the route the hook
 * takes is proven to arrive.
 */
class SystemPropertiesIT {

    private static final String ALL_STRINGS = "store=ok list=ok non-string=0";

    @RegisterExtension
    static final AgentIt AGENT = new AgentIt();

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void theAgentJarUnderItsOwnNameLeavesTheSystemPropertiesAllStrings(int jdk) {
        assertAllStringsAndCloseSeen(jdk, Artifacts.agentJar(), "props-" + jdk);
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void aRenamedJarLeavesTheSystemPropertiesAllStrings(int jdk, @TempDir Path dir) throws IOException {
        Path renamed = Files.copy(Path.of(Artifacts.agentJar()), dir.resolve("renamed-agent.jar"));
        assertAllStringsAndCloseSeen(jdk, renamed.toString(), "props-renamed-" + jdk);
    }

    @Test
    void anAttachedAgentLeavesTheSystemPropertiesAllStrings() throws Exception {
        String name = "props-attached";
        ChildJvm app = AGENT.start(ChildJvm.builder()
                .javaHome(AgentApps.jdk(17))
                .mainClass(Artifacts.fixturesClasspath(), "io.autoreg.fixtures.SystemPropertiesApp"));
        int port = app.awaitPort(Duration.ofSeconds(30));
        AgentApps.attach(
                17,
                app.pid(),
                "registry.url=" + AGENT.registry().apiUrl(),
                "service.name=" + name,
                "agent.include-loopback=true");
        AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(10), app);
        assertEquals(ALL_STRINGS, Http.body(port, "/system-properties"));
        closeAndExpectDeregistered(app, port, name);
    }

    /** Starts the app under the agent; once its bind has reached the registry, reads the report and closes. */
    private static void assertAllStringsAndCloseSeen(int jdk, String agentJar, String name) {
        ChildJvm app = AGENT.start(ChildJvm.builder()
                .javaHome(AgentApps.jdk(jdk))
                .agent(
                        agentJar,
                        "registry.url=" + AGENT.registry().apiUrl() + ",service.name=" + name
                                + ",agent.include-loopback=true")
                .mainClass(Artifacts.fixturesClasspath(), "io.autoreg.fixtures.SystemPropertiesApp"));
        int port = app.awaitPort(Duration.ofSeconds(30));
        AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(10), app);
        assertEquals(ALL_STRINGS, Http.body(port, "/system-properties"));
        closeAndExpectDeregistered(app, port, name);
    }

    /** The server closes, the JVM keeps running: only the close hook tells the agent. */
    private static void closeAndExpectDeregistered(ChildJvm app, int port, String name) {
        Http.body(port, "/close");
        Await.until(
                Duration.ofSeconds(15),
                () -> AGENT.registry().serviceNamed(name).isEmpty(),
                name + " deregistered after its listener closed\n" + app.output());
        assertTrue(app.process().isAlive(), "the JVM still runs\n" + app.output());
    }
}
