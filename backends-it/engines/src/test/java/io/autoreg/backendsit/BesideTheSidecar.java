package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.testing.Await;
import io.autoreg.testing.FreePorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same engine with a neighbour that cannot take the agent: the plain sample app, watched by the
 * sidecar, which registers it while its HTTP check passes. Reuses the engine of the implementing IT class.
 */
interface BesideTheSidecar extends UnderTheAgent {

    default ServiceInstance neighbourInstance(String id, int port) {
        return new ServiceInstance(id, "sidecar-orders", "127.0.0.1", port, List.of(), Map.of());
    }

    @Test
    default void aNeighbourWatchedByTheSidecarIsListedWhileUpAndRemovedWhenItDies() throws Exception {
        int port = FreePorts.next();
        String id = "sidecar-dies-" + registryType();
        ServiceInstance instance = neighbourInstance(id, port);
        try (SampleApp neighbour = SampleApp.plain(port);
                Sidecar sidecar = Sidecar.watching(registryType(), registryUrl(), instance.name(), id, port)) {
            neighbour.awaitPort();
            Await.until(Duration.ofSeconds(15), id + " listed\n" + sidecar.output(), () -> listed(instance));
            assertEquals(port, seenByConsumer(instance).port(), "the neighbour's port, not the sidecar's");

            neighbour.kill();

            Duration bound = Sidecar.CHECK_INTERVAL.multipliedBy(Sidecar.FALL).plusSeconds(2);
            Await.until(bound, id + " removed after the neighbour died\n" + sidecar.output(), () -> !listed(instance));
        }
    }

    @Test
    default void aSigtermToTheSidecarRemovesItsNeighbourBeforeItExits() throws Exception {
        int port = FreePorts.next();
        String id = "sidecar-term-" + registryType();
        ServiceInstance instance = neighbourInstance(id, port);
        try (SampleApp neighbour = SampleApp.plain(port);
                Sidecar sidecar = Sidecar.watching(registryType(), registryUrl(), instance.name(), id, port)) {
            neighbour.awaitPort();
            Await.until(Duration.ofSeconds(15), id + " listed\n" + sidecar.output(), () -> listed(instance));

            sidecar.terminate();

            assertEquals(false, listed(instance), id + " removed before the sidecar exited\n" + sidecar.output());
        }
    }

    /** For engines where an instance id that was deregistered can be registered again at once. */
    interface AcrossNeighbourRestarts extends BesideTheSidecar {

        @Test
        default void aNeighbourThatComesBackIsListedAgain() throws Exception {
            int port = FreePorts.next();
            String id = "sidecar-back-" + registryType();
            ServiceInstance instance = neighbourInstance(id, port);
            SampleApp neighbour = SampleApp.plain(port);
            try (Sidecar sidecar = Sidecar.watching(registryType(), registryUrl(), instance.name(), id, port)) {
                neighbour.awaitPort();
                Await.until(Duration.ofSeconds(15), id + " listed\n" + sidecar.output(), () -> listed(instance));
                neighbour.kill();
                Await.until(Duration.ofSeconds(5), id + " removed\n" + sidecar.output(), () -> !listed(instance));
                neighbour.close();

                neighbour = SampleApp.plain(port);
                neighbour.awaitPort();

                Await.until(
                        Duration.ofSeconds(10),
                        id + " listed again after the neighbour restarted\n" + sidecar.output(),
                        () -> listed(instance));
            } finally {
                neighbour.close();
            }
        }
    }
}
