package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.agent.testing.AgentIt;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 2's walking skeleton, end to end: the real registry on a free loopback port, the sample app
 * as a child JVM under {@code -javaagent}, bound to port 0.
 */
class AgentEndToEndIT {

    @RegisterExtension
    static final AgentIt AGENT = new AgentIt();

    /** The sample app under the agent, as service NAME, killed after the test if still running. */
    static ChildJvm sampleApp(String name) {
        return AGENT.sampleApp(name);
    }

    @Test
    void appearsWithItsRealPortStaysWhileAliveAndIsRemovedOnSigtermBeforeItExits() {
        String name = "e2e-term";
        try (ChildJvm app = sampleApp(name)) {
            int port = app.awaitPort(Duration.ofSeconds(15));
            AtomicReference<JsonNode> found = new AtomicReference<>();
            Await.until(
                    Duration.ofSeconds(2),
                    () -> AGENT.registry()
                            .serviceNamed(name)
                            .map(s -> {
                                found.set(s);
                                return true;
                            })
                            .orElse(false),
                    name + " registered\n" + app.output());
            assertEquals(
                    String.valueOf(port),
                    found.get().path("metadata").path("port").asText(),
                    "metadata.port");
            assertEquals(
                    name + "-" + found.get().path("metadata").path("host").asText() + "-" + port,
                    found.get().path("id").asText(),
                    "id is <name>-<host>-<port>");
            assertEquals(3, found.get().path("heartbeat_timeout").asInt(), "heartbeat.timeout=3s");

            Await.holdsThroughout(
                    Duration.ofSeconds(10),
                    () -> AGENT.registry().serviceNamed(name).isPresent(),
                    name + " stays registered while heartbeating");

            long terminated = System.nanoTime();
            app.terminate();
            assertTrue(app.awaitExit(Duration.ofSeconds(10)), "exits after SIGTERM");
            long exitMillis = (System.nanoTime() - terminated) / 1_000_000;
            assertTrue(AGENT.registry().serviceNamed(name).isEmpty(), "gone when the child has exited");
            assertTrue(
                    exitMillis < 3000,
                    "exit took " + exitMillis + " ms, less than the 3 s timeout: a removal, not an expiry");
            assertEquals(1, AGENT.registry().events("service.remove", name).size(), "one service.remove event");
            assertEquals(0, AGENT.registry().events("service.timeout", name).size(), "no service.timeout event");
        }
    }

    @Test
    void afterKillMinus9ItDisappearsWithinTheHeartbeatTimeoutPlusOneSecond() {
        String name = "e2e-kill";
        try (ChildJvm app = sampleApp(name)) {
            app.awaitPort(Duration.ofSeconds(15));
            Await.until(
                    Duration.ofSeconds(2),
                    () -> AGENT.registry().serviceNamed(name).isPresent(),
                    name + " registered\n" + app.output());
            app.kill();
            assertTrue(app.awaitExit(Duration.ofSeconds(10)), "killed");
            Await.until(
                    Duration.ofSeconds(4),
                    () -> AGENT.registry().serviceNamed(name).isEmpty(),
                    name + " expired within timeout (3 s) + 1 s");
        }
    }
}
