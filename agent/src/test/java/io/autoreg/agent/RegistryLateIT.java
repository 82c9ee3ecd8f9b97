package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autoreg.agent.testing.Artifacts;
import io.autoreg.agent.testing.RegistryFixture;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import io.autoreg.testing.Http;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The registry comes up 5 s after the app: the app starts and serves exactly as without the agent
 * (nothing waits for the registry), and is registered within one backoff step once the registry is up.
 */
class RegistryLateIT {

    /** The backoff cap for this test; "within one backoff step" is this plus one request. */
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    @Test
    void appServesWhileTheRegistryIsDownAndRegistersWithinOneBackoffStepOnceItIsUp() throws InterruptedException {
        String name = "late-registry";
        try (RegistryFixture registry = RegistryFixture.onFreePortNotStarted();
                ChildJvm app = ChildJvm.builder()
                        .agent(Artifacts.agentJar(), "registry.url=" + registry.apiUrl() + ",service.name=" + name)
                        .systemProperty("autoreg.retry.max-backoff", MAX_BACKOFF.toMillis() + "ms")
                        .jar(Artifacts.sampleAppJar(), "--port", "0")
                        .start()) {
            long started = System.nanoTime();
            int port = app.awaitPort(Duration.ofSeconds(15));
            assertEquals(200, Http.status(port, "/health", Duration.ofSeconds(1)), "serves while the registry is down");

            // The scenario itself, not a synchronisation: the registry is down for the first 5 s.
            long downFor = Duration.ofSeconds(5).toNanos() - (System.nanoTime() - started);
            if (downFor > 0) {
                Thread.sleep(downFor / 1_000_000);
            }
            assertEquals(
                    200, Http.status(port, "/health", Duration.ofSeconds(1)), "still serving after 5 s of retries");
            registry.startWithFreshState();
            Await.until(
                    MAX_BACKOFF.plusMillis(1500),
                    () -> registry.serviceNamed(name).isPresent(),
                    name + " registered within one backoff step\n" + app.output());
        }
    }
}
