package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.agent.testing.RegistryFixture;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent runs one thread of its own ({@code autoreg-agent}) plus the lifecycle's scheduler
 * ({@code autoreg-lifecycle}), however many listeners open and close: no thread per readiness probe, per
 * re-read of {@code /proc} after a close the hooks did not see open, or per deregistration
 * (docs/architecture.md, "The agent"). A real child JVM under {@code -javaagent} (per-port mode, TCP readiness,
 * so every listener is probed and registered) opens and closes listeners in rounds; a sampler in the app notes
 * every {@code autoreg-} thread alive at any moment, and a thread dump ({@code jcmd Thread.print}) is checked too.
 */
class AgentThreadsIT {

    private static final Set<String> EXPECTED = Set.of("autoreg-agent", "autoreg-lifecycle");
    private static final int ROUNDS = 3;
    private static final int PER_ROUND = 12;

    private static RegistryFixture registry;

    @BeforeAll
    static void startRegistry() {
        registry = RegistryFixture.start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void manyListenersOpenedAndClosedLeaveOnlyTheAgentThreadAndTheLifecycleScheduler(int jdk) throws IOException {
        String name = "many-listeners-jdk" + jdk;
        try (ChildJvm app = AgentApps.underAgent(
                        AgentApps.jdk(jdk), registry, name, "agent.mode=per-port,agent.readiness=tcp")
                .mainClass(Artifacts.fixturesClasspath(), "io.autoreg.fixtures.ManyListenersApp")
                .start()) {
            int first = app.awaitPort(Duration.ofSeconds(30));
            Await.until(
                    Duration.ofSeconds(10),
                    () -> ports(name).contains(first),
                    "first listener registered\n" + app.output());

            for (int round = 0; round < ROUNDS; round++) {
                send(app, "churn " + PER_ROUND);
                Matcher opened =
                        app.awaitLine(Pattern.compile("opened #" + (round + 1) + " ([0-9,]+)"), Duration.ofSeconds(20));
                Set<Integer> churned = new TreeSet<>();
                Arrays.stream(opened.group(1).split(",")).map(Integer::valueOf).forEach(churned::add);
                Await.until(
                        Duration.ofSeconds(20),
                        () -> ports(name).containsAll(churned),
                        "round " + round + ": all " + PER_ROUND + " listeners registered, have " + ports(name) + "\n"
                                + app.output());
                assertOnlyExpectedThreads(app);
                send(app, "close");
                app.awaitLine(Pattern.compile("closed #" + (round + 1) + " " + PER_ROUND), Duration.ofSeconds(20));
                Await.until(
                        Duration.ofSeconds(20),
                        () -> ports(name).equals(Set.of(first)),
                        "round " + round + ": closed listeners deregistered, have " + ports(name) + "\n"
                                + app.output());
            }
            // a close the hooks never saw open (the first listener predates the hooks): a re-read of /proc
            send(app, "close-first");
            app.awaitLine(Pattern.compile("first closed"), Duration.ofSeconds(20));
            Await.until(
                    Duration.ofSeconds(20),
                    () -> ports(name).isEmpty(),
                    "first listener deregistered\n" + app.output());

            assertOnlyExpectedThreads(app);
            send(app, "threads");
            Matcher seen = app.awaitLine(Pattern.compile("autoreg threads seen: \\[(.*)]"), Duration.ofSeconds(20));
            assertEquals(
                    EXPECTED,
                    new TreeSet<>(Arrays.asList(seen.group(1).split(", "))),
                    "every autoreg thread the app's sampler saw while " + (ROUNDS * PER_ROUND + 1)
                            + " listeners came and went\n" + app.output());
        }
    }

    private static void assertOnlyExpectedThreads(ChildJvm app) {
        List<String> autoreg = new ArrayList<>();
        for (String thread : app.threadNames()) {
            if (thread.startsWith("autoreg-")) {
                autoreg.add(thread);
            }
        }
        autoreg.sort(null);
        assertEquals(List.of("autoreg-agent", "autoreg-lifecycle"), autoreg, "the agent's threads in a thread dump");
    }

    private static Set<Integer> ports(String name) {
        return registry.portsNamed(name);
    }

    private static void send(ChildJvm app, String line) throws IOException {
        app.process().getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        app.process().getOutputStream().flush();
    }
}
