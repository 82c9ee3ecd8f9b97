package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.AgentIt;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.testing.ChildJvm;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host's system properties stay a table of Strings, which {@code Properties.store()} and {@code list()} need: with
 * the agent jar under its own name, the hooks in the JDK's classes report to the agent directly, and nothing of the
 * agent's goes into the table. A renamed jar runs from the system class loader, which the JDK's classes cannot call:
 * its hooks find the queue in the table, and the host's {@code store()} and {@code list()} then throw (README's
 * caveat) — pinned here so that the caveat stays true to what the agent does.
 */
class SystemPropertiesIT {

    @RegisterExtension
    static final AgentIt AGENT = new AgentIt();

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void theAgentJarUnderItsOwnNameLeavesTheSystemPropertiesAllStrings(int jdk) {
        assertEquals(
                "store=ok list=ok non-string=0", reportAfterRegistration(jdk, Artifacts.agentJar(), "props-" + jdk));
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17})
    void aRenamedJarKeepsItsQueueInTheSystemProperties(int jdk, @TempDir Path dir) throws IOException {
        Path renamed = Files.copy(Path.of(Artifacts.agentJar()), dir.resolve("renamed-agent.jar"));
        assertEquals(
                "store=java.lang.ClassCastException list=java.lang.ClassCastException non-string=1",
                reportAfterRegistration(jdk, renamed.toString(), "props-renamed-" + jdk));
    }

    /** What the app reports once its bind has reached the registry through the hooks. */
    private static String reportAfterRegistration(int jdk, String agentJar, String name) {
        ChildJvm app = AGENT.start(ChildJvm.builder()
                .javaHome(AgentApps.jdk(jdk))
                .agent(
                        agentJar,
                        "registry.url=" + AGENT.registry().apiUrl() + ",service.name=" + name
                                + ",agent.include-loopback=true")
                .mainClass(Artifacts.fixturesClasspath(), "io.autoreg.fixtures.SystemPropertiesApp"));
        int port = app.awaitPort(Duration.ofSeconds(30));
        AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(10), app);
        return Http.body(port, "/system-properties");
    }
}
