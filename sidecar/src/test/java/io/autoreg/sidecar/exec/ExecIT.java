package io.autoreg.sidecar.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.sidecar.testing.FreePorts;
import io.autoreg.sidecar.testing.Jars;
import io.autoreg.sidecar.testing.TestRegistry;
import io.autoreg.testing.Await;
import io.autoreg.testing.Child;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code exec} as a real child JVM wrapping real shell commands, against the real registry. */
class ExecIT {
    @TempDir
    Path dir;

    private static TestRegistry registry;
    private final List<Child> children = new ArrayList<>();

    @BeforeAll
    static void startRegistry() {
        registry = new TestRegistry("sidecar-exec");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @AfterEach
    void stopChildren() {
        children.forEach(Child::close);
    }

    private Child exec(String registryUrl, String name, String... args) {
        List<String> argv = new ArrayList<>(List.of("exec", "--registry-url", registryUrl));
        argv.addAll(List.of(args));
        Child child = Child.java(Jars.sidecar(), argv, Map.of(), dir, name);
        children.add(child);
        return child;
    }

    private static String unreachableRegistry() {
        return "http://127.0.0.1:" + FreePorts.next() + "/v1.0/nobody-home";
    }

    @Test
    void theCommandsExitCodeIsTheSidecarsExitCode() {
        Child sidecar = exec(registry.url(), "exit3", "--id=exits-three", "--", "sh", "-c", "exit 3");
        assertEquals(3, sidecar.awaitExit(Duration.ofSeconds(20)));
    }

    @Test
    void theCommandIsRegisteredWithTagsAndMetadataWhileItRunsAndDeregisteredWhenItEnds() throws IOException {
        Path stop = dir.resolve("stop");
        Child sidecar = exec(
                registry.url(),
                "lives",
                "--id=worker-1",
                "-t",
                "batch,nightly",
                "-m",
                "team=ops,tier=2",
                "-i",
                "5",
                "--",
                "sh",
                "-c",
                "while [ ! -f '" + stop + "' ]; do sleep 0.05; done");
        Await.until(Duration.ofSeconds(15), "worker-1 registered", () -> registry.hasService("worker-1"));
        var service = registry.service("worker-1");
        assertEquals(5, service.path("heartbeat_timeout").asInt(), "--interval is the heartbeat timeout");
        assertEquals("[\"batch\",\"nightly\"]", service.path("tags").toString());
        assertEquals("ops", service.path("metadata").path("team").asText());
        assertEquals("2", service.path("metadata").path("tier").asText());
        Files.writeString(stop, "");
        assertEquals(0, sidecar.awaitExit(Duration.ofSeconds(10)));
        assertFalse(registry.hasService("worker-1"), "deregistered when the command ended (timeout is 5 s)");
    }

    @Test
    void sigtermToTheSidecarReachesTheCommandAndItsExitCodeComesBack() throws IOException {
        assertSignalForwarded("TERM", 7);
    }

    @Test
    void sighupToTheSidecarReachesTheCommandAsSighup() throws IOException {
        assertSignalForwarded("HUP", 9);
    }

    private void assertSignalForwarded(String signal, int exitCode) throws IOException {
        Path got = dir.resolve("got-" + signal);
        Child sidecar = exec(
                registry.url(),
                "signal-" + signal,
                "--id=trapper-" + signal.toLowerCase(),
                "--",
                "sh",
                "-c",
                "trap 'echo " + signal + " > \"" + got + "\"; exit " + exitCode + "' " + signal
                        + "; echo started; while :; do sleep 0.05; done");
        sidecar.awaitStdout("(started)", Duration.ofSeconds(15));
        new ProcessBuilder("kill", "-s", signal, String.valueOf(sidecar.pid()))
                .inheritIO()
                .start();
        assertEquals(exitCode, sidecar.awaitExit(Duration.ofSeconds(10)));
        assertEquals(signal, Files.readString(got).strip(), "the command trapped SIG" + signal);
    }

    @Test
    void stdoutAndStderrArePassedThroughByteForByte() {
        String script =
                "printf 'first line\\n\\303\\274nicode \\342\\234\\223\\n'; seq 1 100000; printf 'no newline at end';"
                        + " printf 'to stderr\\n' >&2; printf 'last err' >&2";
        // --log-level error: on a loaded machine a slow registration could log a warning into the same stderr
        Child sidecar =
                exec(registry.url(), "passthrough", "--id=talker", "--log-level", "error", "--", "sh", "-c", script);
        assertEquals(0, sidecar.awaitExit(Duration.ofSeconds(20)));
        String numbers =
                IntStream.rangeClosed(1, 100000).mapToObj(String::valueOf).collect(Collectors.joining("\n", "", "\n"));
        assertArrayEquals(
                ("first line\nünicode ✓\n" + numbers + "no newline at end").getBytes(StandardCharsets.UTF_8),
                sidecar.stdoutBytes());
        assertArrayEquals("to stderr\nlast err".getBytes(StandardCharsets.UTF_8), sidecar.stderrBytes());
    }

    @Test
    void abortOnFailureWithTheRegistryDownExits100AndLeavesNoChildRunning() throws IOException {
        Path pidFile = dir.resolve("child.pid");
        Child sidecar = exec(
                unreachableRegistry(),
                "abort",
                "--id=doomed",
                "--abort-on-failure",
                "--",
                "sh",
                "-c",
                "echo $$ > '" + pidFile + "'; exec sleep 60");
        assertEquals(100, sidecar.awaitExit(Duration.ofSeconds(20)));
        Await.until(Duration.ofSeconds(5), "the child wrote its pid", () -> Files.exists(pidFile));
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertFalse(
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                "child " + pid + " is not left running");
        assertTrue(sidecar.stderr().contains("--abort-on-failure"), sidecar.stderr());
    }

    @Test
    void withoutAbortOnFailureAnUnreachableRegistryOnlyWarnsAndTheCommandRuns() throws IOException {
        // the command runs on until the warning is seen: a fixed sleep lost the race on a loaded machine,
        // where the sidecar's first registration attempt can take longer than the command lived
        Path done = dir.resolve("warned");
        Child sidecar = exec(
                unreachableRegistry(),
                "warn-only",
                "--id=hopeful",
                "--",
                "sh",
                "-c",
                "while [ ! -f '" + done + "' ]; do sleep 0.05; done; echo did my job; exit 5");
        Await.until(
                Duration.ofSeconds(30),
                "a warning about the registry",
                () -> sidecar.stderr().contains("warn"));
        assertTrue(sidecar.process().isAlive(), "the command keeps running while the registry is unreachable");
        Files.writeString(done, "");
        assertEquals(5, sidecar.awaitExit(Duration.ofSeconds(20)));
        assertEquals("did my job\n", sidecar.stdout());
    }

    @Test
    void withLogFormatJsonTheSidecarsLogLinesAreJsonLines() throws IOException {
        Child sidecar = exec(
                unreachableRegistry(), "json-log", "--id=json-logger", "--log-format", "json", "--", "sleep", "60");
        Await.until(
                Duration.ofSeconds(30),
                "a warning about the unreachable registry",
                () -> sidecar.stderr().contains("\"level\":\"warn\""));
        sidecar.terminate();
        assertEquals(
                143, sidecar.awaitExit(Duration.ofSeconds(20)), "the wrapped sleep ended by the forwarded SIGTERM");
        for (String line : sidecar.stderr().lines().toList()) {
            var entry = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertEquals("autoreg", entry.path("logger").asText(), line);
        }
    }

    @Test
    void aCommandThatCannotBeRunExits127LikeAShell() {
        Child sidecar = exec(registry.url(), "missing-binary", "--id=ghost", "--", "/no/such/binary", "--flag");
        assertEquals(127, sidecar.awaitExit(Duration.ofSeconds(20)));
        assertTrue(
                sidecar.stderr().contains("autoreg-sidecar: cannot run /no/such/binary: no such file or directory\n"),
                sidecar.stderr());
    }

    @Test
    void aMissingCommandIsAUsageError() {
        Child sidecar = exec(registry.url(), "usage", "--id=nothing");
        assertEquals(2, sidecar.awaitExit(Duration.ofSeconds(20)));
        assertTrue(sidecar.stderr().contains("no command to run"), sidecar.stderr());
    }
}
