package io.autoreg.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.AgentIt;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hooked JDK classes patched by {@link ReturnHookPatcher} in a real JVM under the agent, on JDK 17 and 25,
 * with {@code -XX:+BytecodeVerificationLocal}, so that the retransformed {@code java.base} classes are verified
 * (boot classes are not by default). {@code HookedServersApp} loads {@code ServerSocket},
 * {@code ServerSocketChannelImpl} and {@code AsynchronousServerSocketChannelImpl} before its first listener,
 * so the agent's runtime retransforms all three; each kind is then opened and closed twice, seen only through the
 * hooks, and must be registered and deregistered. The JVM's class-load log shows that no ASM class was loaded:
 * the point of the patcher (docs/benchmarks.md, "Where the agent thread's ~40 ms go").
 */
class ReturnHookPatcherIT {

    @RegisterExtension
    static final AgentIt AGENT = new AgentIt();

    private static final String[] KINDS = {"server-socket", "channel", "async"};

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void theVerifiedPatchedJdkClassesReportBindAndCloseAndNoAsmClassIsLoaded(int jdk) throws IOException {
        String name = "patched-hooks-jdk" + jdk;
        Path classLoadLog = Files.createTempFile("patcher-it-class-load", ".log");
        try (ChildJvm app = AGENT.start(AGENT.underAgent(AgentApps.jdk(jdk), name, "agent.mode=per-port")
                .jvmOption("-XX:+UnlockDiagnosticVMOptions")
                .jvmOption("-XX:+BytecodeVerificationLocal")
                .jvmOption("-Xlog:class+load=info:file=" + classLoadLog)
                .mainClass(AgentApps.testClasses(), "fixture.apps.HookedServersApp"))) {
            int first = Integer.parseInt(
                    app.awaitLine(Pattern.compile("first listening on port (\\d+)"), Duration.ofSeconds(30))
                            .group(1));
            Await.until(Duration.ofSeconds(10), () -> ports(name).contains(first), "first listener\n" + app.output());

            int command = 0;
            for (int round = 0; round < 2; round++) {
                for (String kind : KINDS) {
                    send(app, "open " + kind);
                    int port = Integer.parseInt(app.awaitLine(
                                    Pattern.compile("opened #" + ++command + " " + kind + " (\\d+)"),
                                    Duration.ofSeconds(10))
                            .group(1));
                    Await.until(
                            Duration.ofSeconds(10),
                            () -> ports(name).contains(port),
                            kind + " #" + command + " registered through its bind hook\n" + app.output());
                    send(app, "close " + kind);
                    app.awaitLine(Pattern.compile("closed #" + ++command + " " + kind), Duration.ofSeconds(10));
                    Await.until(
                            Duration.ofSeconds(10),
                            () -> !ports(name).contains(port),
                            kind + " #" + command + " deregistered through its close hook\n" + app.output());
                }
            }
            assertEquals(Set.of(first), ports(name), "only the first listener is left");
            List<String> autoregLines = new ArrayList<>();
            for (String line : app.stderrLines()) {
                if (line.contains("[autoreg]") || line.contains("VerifyError")) {
                    autoregLines.add(line);
                }
            }
            assertEquals(List.of(), autoregLines, "no hook failure, nothing from autoreg on stderr\n" + app.output());

            List<String> loaded = Files.readAllLines(classLoadLog, StandardCharsets.UTF_8);
            List<String> asm = new ArrayList<>();
            for (String line : loaded) {
                if (line.contains(".jar.asm.")) {
                    asm.add(line);
                }
            }
            assertEquals(List.of(), asm, "no ASM class loaded");
            assertTrue(
                    loaded.stream().anyMatch(l -> l.contains(" io.autoreg.agent.hook.ReturnHookPatcher ")),
                    "the class-load log lists the patcher");
        } finally {
            Files.deleteIfExists(classLoadLog);
        }
    }

    private static void send(ChildJvm app, String line) throws IOException {
        app.process().getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        app.process().getOutputStream().flush();
    }

    private static Set<Integer> ports(String name) {
        return AGENT.registry().portsNamed(name);
    }
}
