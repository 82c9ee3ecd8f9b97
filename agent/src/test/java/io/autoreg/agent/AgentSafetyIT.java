package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.AgentIt;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.agent.testing.BlackHoleServer;
import io.autoreg.agent.testing.RegistryFixture;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero harm: bad settings, the kill switch, JDK tools, a registry that hangs or loses its state — in
 * every case the app starts and serves as without the agent. And a config file works.
 */
class AgentSafetyIT {

    @RegisterExtension
    static final AgentIt AGENT = new AgentIt();

    private static ChildJvm.Builder sampleApp(String agentArguments) {
        return ChildJvm.builder()
                .agent(Artifacts.agentJar(), agentArguments)
                .jar(Artifacts.sampleAppJar(), "--port", "0");
    }

    private static List<String> autoregLines(ChildJvm app) {
        return app.stderrLines().stream().filter(l -> l.contains("[autoreg]")).collect(Collectors.toList());
    }

    /** The app's threads, from jcmd: proof that the agent started nothing. */
    private static String threadDump(ChildJvm app) {
        String dump = app.threadDump();
        assertTrue(dump.contains("\"main\"") || dump.contains("sample-http") || dump.contains("DestroyJavaVM"), dump);
        return dump;
    }

    @Test
    void aBadSettingPrintsOneLineWithKeyOriginAndAllowedValuesAndTheAppRunsWithoutRegistration() {
        String name = "bad-setting";
        try (ChildJvm app = sampleApp("registry.url=" + AGENT.registry().apiUrl() + ",service.name=" + name)
                .systemProperty("autoreg.heartbeat.timeout", "soon")
                .start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            assertEquals(200, Http.status(port, "/health", Duration.ofSeconds(2)));
            Await.until(Duration.ofSeconds(5), () -> !autoregLines(app).isEmpty(), "the agent reports the bad setting");
            Await.holdsThroughout(
                    Duration.ofSeconds(1),
                    () -> AGENT.registry().serviceNamed(name).isEmpty(),
                    "nothing registered");
            List<String> lines = autoregLines(app);
            assertEquals(1, lines.size(), "exactly one line: " + lines);
            String line = lines.get(0);
            assertTrue(
                    line.contains("autoreg.heartbeat.timeout")
                            && line.contains("\"soon\"")
                            && line.contains("-Dautoreg.heartbeat.timeout")
                            && line.contains("3s"),
                    line);
            assertEquals(200, Http.status(port, "/", Duration.ofSeconds(2)), "still serving");
        }
    }

    @Test
    void aBadAgentArgumentIsReportedWithItsOriginToo() {
        String name = "bad-argument";
        try (ChildJvm app = sampleApp(
                        "registry.url=" + AGENT.registry().apiUrl() + ",service.name=" + name + ",agent.mode=sometimes")
                .start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            Await.until(Duration.ofSeconds(5), () -> !autoregLines(app).isEmpty(), "the agent reports the bad setting");
            String line = autoregLines(app).get(0);
            assertTrue(line.contains("autoreg.agent.mode") && line.contains("per-jvm | per-port"), line);
            assertEquals(200, Http.status(port, "/health", Duration.ofSeconds(2)));
        }
    }

    @Test
    void aMisspeltEnvironmentVariableIsNamedWithTheOneMeantAndTheAgentRegistersAsConfigured() {
        String name = "env-typo";
        try (ChildJvm app = sampleApp("registry.url=" + AGENT.registry().apiUrl() + ",service.name=" + name)
                .env("AUTOREG_SERVICE_TAG", "blue") // meant AUTOREG_SERVICE_TAGS
                .env("AUTOREG_HEARTBEAT_INTERVAL", "2s") // a setting: read, not warned of
                .env("AUTOREG_SIDECAR_CHECK_PORT", "8080") // the sidecar's section: not the agent's to judge
                .env("AUTOREG_CHECK_PORT", "8080") // what the sidecar gives its exec checks
                .start()) {
            app.awaitPort(Duration.ofSeconds(20));
            Await.until(
                    Duration.ofSeconds(10),
                    () -> AGENT.registry().serviceNamed(name).isPresent(),
                    "registered despite the stray variable");
            List<String> lines = autoregLines(app);
            assertEquals(1, lines.size(), "exactly one line: " + lines);
            assertTrue(
                    lines.get(0)
                            .contains("warn environment variable AUTOREG_SERVICE_TAG is not a setting of autoreg's"
                                    + " and is ignored (did you mean AUTOREG_SERVICE_TAGS?)"),
                    lines.get(0));
            assertEquals(
                    0, AGENT.registry().serviceNamed(name).get().get("tags").size(), "the misspelt tags not read");
        }
    }

    @Test
    void theAgentGivenTwiceRunsOnceAndSaysSo(@TempDir Path dir) throws IOException {
        // an injection's JAVA_TOOL_OPTIONS and the image's own -javaagent: here a copy of the jar under another name
        String name = "agent-twice";
        Path copy = Files.copy(Path.of(Artifacts.agentJar()), dir.resolve("copy-of-autoreg-agent.jar"));
        String arguments = "registry.url=" + AGENT.registry().apiUrl() + ",service.name=" + name;
        try (ChildJvm app = sampleApp(arguments)
                .env("JAVA_TOOL_OPTIONS", "-javaagent:" + copy + "=" + arguments + ",service.tags=second")
                .start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            Await.until(
                    Duration.ofSeconds(10),
                    () -> AGENT.registry().serviceNamed(name).isPresent(),
                    "registered once");
            assertEquals(200, Http.status(port, "/health", Duration.ofSeconds(2)));
            // the first to start (JAVA_TOOL_OPTIONS come first) holds the JVM; the second neither registers nor retries
            Await.holdsThroughout(
                    Duration.ofSeconds(2),
                    () -> AGENT.registry().servicesNamed(name).size() == 1,
                    "one registration");
            List<String> lines = autoregLines(app);
            assertEquals(
                    List.of(
                            "[autoreg] the agent is already loaded in this JVM: this -javaagent is ignored, with its arguments"
                                    + " (is it given twice, or also in JAVA_TOOL_OPTIONS?)"),
                    lines,
                    app.output());
            assertEquals(
                    "second",
                    AGENT.registry().serviceNamed(name).get().get("tags").get(0).asText());
        }
    }

    /**
     * A config file needs the bundled libraries, copied to the temp directory first; a hardened pod's read-only root
     * file system (here: a temp directory that does not exist) cannot take them. One line names the directory and
     * the fix, and the application serves.
     */
    @Test
    void aTempDirectoryThatCannotTakeTheLibrariesIsNamedWithTheFix(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(
                dir.resolve("autoreg.conf"),
                "autoreg.registry.url = \"" + AGENT.registry().apiUrl() + "\"\nautoreg.service.name = no-temp\n");
        Path missing = dir.resolve("no-such-directory");
        try (ChildJvm app = sampleApp("config=" + config)
                .systemProperty("java.io.tmpdir", missing.toString())
                .start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            assertEquals(200, Http.status(port, "/health", Duration.ofSeconds(2)));
            Await.until(Duration.ofSeconds(10), () -> !autoregLines(app).isEmpty(), "the agent says why it is off");
            List<String> lines = autoregLines(app);
            assertEquals(1, lines.size(), app.output());
            assertTrue(
                    lines.get(0)
                                    .contains(
                                            "agent off, the application runs without registration: these settings (a config"
                                                    + " file, or a value the agent's own reader leaves to the core's) need the agent's"
                                                    + " bundled libraries, which could not be copied to the temp directory")
                            && lines.get(0)
                                    .endsWith("; java.io.tmpdir is " + missing + ": give the JVM a writable one"
                                            + " (-Djava.io.tmpdir=DIR; on a read-only root file system, a volume"
                                            + " mounted there)"),
                    lines.get(0));
            assertEquals(List.of(), AGENT.registry().servicesNamed("no-temp"), "nothing registered");
        }
    }

    @Test
    void theKillSwitchAsSystemPropertyOrEnvironmentVariableStartsNothing() throws Exception {
        for (boolean viaEnv : new boolean[] {false, true}) {
            String name = "kill-switch-" + (viaEnv ? "env" : "sysprop");
            ChildJvm.Builder builder =
                    sampleApp("registry.url=" + AGENT.registry().apiUrl() + ",service.name=" + name);
            if (viaEnv) {
                builder.env("AUTOREG_ENABLED", "false");
            } else {
                builder.systemProperty("autoreg.enabled", "false");
            }
            try (ChildJvm app = builder.start()) {
                int port = app.awaitPort(Duration.ofSeconds(20));
                assertEquals(200, Http.status(port, "/health", Duration.ofSeconds(2)));
                assertFalse(threadDump(app).contains("autoreg-"), "no autoreg thread");
                assertTrue(AGENT.registry().serviceNamed(name).isEmpty());
                assertTrue(autoregLines(app).isEmpty(), app.output());
            }
        }
    }

    @Test
    void aConfigFileIsReadAndCanAlsoTurnTheAgentOff(@TempDir Path dir) throws IOException {
        Path on = dir.resolve("on.conf");
        Files.writeString(
                on,
                "autoreg {\n  registry.url = \"" + AGENT.registry().apiUrl()
                        + "\"\n  service { name = from-file, tags = [a, b] }\n" + "  heartbeat.timeout = 3s\n}\n");
        try (ChildJvm app = sampleApp("config=" + on).start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            // a config file takes the full settings path (Typesafe Config, OkHttp, Jackson): slower than the fast path
            var service = AgentApps.awaitRegistered(AGENT.registry(), "from-file", Duration.ofSeconds(8), app);
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText());
            assertEquals("[\"a\",\"b\"]", service.path("tags").toString());
            AgentApps.terminateAndExpectDeregistered(AGENT.registry(), "from-file", app);
        }
        Path off = dir.resolve("off.conf");
        Files.writeString(
                off,
                "autoreg { enabled = false, registry.url = \""
                        + AGENT.registry().apiUrl() + "\", service.name = file-off }\n");
        try (ChildJvm app = sampleApp("config=" + off).start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            assertEquals(200, Http.status(port, "/health", Duration.ofSeconds(2)));
            Await.holdsThroughout(
                    Duration.ofSeconds(2),
                    () -> AGENT.registry().serviceNamed("file-off").isEmpty(),
                    "not registered");
            assertTrue(autoregLines(app).isEmpty(), app.output());
        }
    }

    @Test
    void jdkToolsInheritingJavaToolOptionsRunUntouched() throws Exception {
        for (List<String> tool : List.of(List.of("javac", "-version"), List.of("jcmd", "-l"))) {
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", tool.get(0))
                                    .toString(),
                            tool.get(1))
                    .redirectErrorStream(true);
            pb.environment()
                    .put(
                            "JAVA_TOOL_OPTIONS",
                            "-javaagent:" + Artifacts.agentJar() + "=registry.url="
                                    + AGENT.registry().apiUrl() + " -Dautoreg.heartbeat.timeout=soon");
            Process process = pb.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), tool + " finished");
            assertEquals(0, process.exitValue(), output);
            assertFalse(output.contains("[autoreg]"), output);
        }
    }

    @Test
    void aRegistryThatAcceptsButNeverAnswersDelaysNeitherStartNorRequestsNorExit() throws IOException {
        try (BlackHoleServer blackHole = new BlackHoleServer();
                ChildJvm app = sampleApp("registry.url=" + blackHole.apiUrl() + ",service.name=black-hole")
                        .start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            long before = System.nanoTime();
            assertEquals(200, Http.status(port, "/health", Duration.ofSeconds(2)));
            Await.until(
                    Duration.ofSeconds(5),
                    () -> blackHole.connections() > 0,
                    "the agent is stuck talking to the registry");
            assertEquals(200, Http.status(port, "/", Duration.ofSeconds(2)));
            assertTrue((System.nanoTime() - before) / 1_000_000 < 2000, "requests answered at once");
            long terminated = System.nanoTime();
            app.terminate();
            assertTrue(app.awaitExit(Duration.ofSeconds(10)), "exits");
            long exitMillis = (System.nanoTime() - terminated) / 1_000_000;
            assertTrue(
                    exitMillis < 5000,
                    "exit bounded by autoreg.agent.shutdown-timeout (3 s), took " + exitMillis + " ms");
        }
    }

    @Test
    void aRegistryRestartedWithItsStateLostGetsTheServiceBackWithoutHelp() {
        String name = "registry-restart";
        try (RegistryFixture restarting = RegistryFixture.onFreePortNotStarted()) {
            restarting.startWithFreshState();
            try (ChildJvm app = AgentApps.underAgent(AgentApps.jdk17(), restarting, name, "")
                    .systemProperty("autoreg.retry.max-backoff", "1s")
                    .jar(Artifacts.sampleAppJar(), "--port", "0")
                    .start()) {
                int port = app.awaitPort(Duration.ofSeconds(20));
                AgentApps.awaitRegistered(restarting, name, Duration.ofSeconds(2), app);
                restarting.stop();
                restarting.startWithFreshState();
                assertTrue(restarting.serviceNamed(name).isEmpty(), "the new registry knows nothing");
                // heartbeat interval (~1.8 s for a 3 s timeout) + 404 + register again
                var service = AgentApps.awaitRegistered(restarting, name, Duration.ofSeconds(5), app);
                assertEquals(
                        String.valueOf(port),
                        service.path("metadata").path("port").asText());
                assertEquals(200, Http.status(port, "/health", Duration.ofSeconds(2)));
            }
        }
    }
}
