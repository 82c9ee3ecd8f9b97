package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same engine seen from the product's side: the sample app as a child JVM under the agent
 * ({@code registry.type}, {@code registry.url}, a fixed {@code service.id}), reusing the engine of the
 * IT class that implements this.
 */
interface UnderTheAgent {

    String registryType();

    String registryUrl();

    /** What a consumer of the engine sees of the instance, or null. */
    BackendContract.Seen seenByConsumer(ServiceInstance instance) throws Exception;

    default boolean listed(ServiceInstance instance) {
        try {
            BackendContract.Seen seen = seenByConsumer(instance);
            return seen != null && seen.up();
        } catch (Exception engineDown) {
            return false;
        }
    }

    /** The instance the agent registers for the app: {@code service.id} is fixed, the port is the app's. */
    default ServiceInstance agentInstance(String id, int port) {
        return new ServiceInstance(id, "agent-orders", "127.0.0.1", port, List.of(), Map.of());
    }

    @Test
    default void theSampleAppUnderTheAgentAppearsStaysAndIsRemovedOnSigterm() throws Exception {
        String id = "agent-term-" + registryType();
        try (SampleApp app = SampleApp.underAgent(registryType(), registryUrl(), "agent-orders", id)) {
            ServiceInstance instance = agentInstance(id, app.awaitPort());
            Await.until(Duration.ofSeconds(15), id + " listed\n" + app.output(), () -> listed(instance));
            BackendContract.Seen seen = seenByConsumer(instance);
            assertEquals("127.0.0.1", seen.address());
            assertEquals(instance.port(), seen.port());

            Await.holdsFor(Duration.ofSeconds(10), id + " stays past 3x the 3 s timeout", () -> listed(instance));

            app.terminate();
            assertEquals(false, listed(instance), id + " removed before the JVM exited\n" + app.output());
        }
    }
}
