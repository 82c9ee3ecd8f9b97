package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.testing.Await;
import io.autoreg.testing.FreePorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The eureka backend against a real Spring Cloud Netflix Eureka server; consumers read it with
 * Eureka's own {@code GET /eureka/apps/{APP}}.
 */
class EurekaBackendIT extends BackendContract implements BesideTheSidecar.AcrossNeighbourRestarts {

    private static final EurekaEngine EUREKA = new EurekaEngine();

    @BeforeAll
    static void startEureka() throws Exception {
        EUREKA.start();
    }

    @AfterAll
    static void stopEureka() throws Exception {
        EUREKA.close();
    }

    @Override
    protected String type() {
        return "eureka";
    }

    @Override
    protected String url() {
        return EUREKA.url();
    }

    @Override
    protected Duration expiryBound() {
        // The lease duration is the timeout; the fixture evicts every second. Older Eureka servers
        // counted the duration twice, so the bound allows for that too.
        return timeout().multipliedBy(2).plusSeconds(6);
    }

    @Override
    protected Seen lookup(ServiceInstance instance) throws Exception {
        JsonNode status = EUREKA.instanceNode(instance);
        return status == null
                ? null
                : new Seen(
                        status.path("ipAddr").asText(),
                        status.path("port").path("$").asInt(),
                        "UP".equals(status.path("status").asText()));
    }

    private String statusOf(ServiceInstance instance) {
        try {
            JsonNode node = EUREKA.instanceNode(instance);
            return node == null ? "ABSENT" : node.path("status").asText();
        } catch (Exception engineDown) {
            return "UNREACHABLE";
        }
    }

    @Override
    protected void restartEngineLosingState() throws Exception {
        EUREKA.restartEmpty();
    }

    @Test
    void drainShowsOutOfServiceBeforeTheInstanceIsCancelled() throws Exception {
        ServiceInstance orders = instance(18087);
        try (var backend = newBackend();
                var manager = new RegistrationManager(backend, heartbeat())) {
            manager.register(orders);
            await(Duration.ofSeconds(10), orders.id() + " UP", () -> isUp(orders));

            CompletableFuture<Void> draining = CompletableFuture.runAsync(
                    () -> manager.deregisterAll(Duration.ofSeconds(3), Duration.ofSeconds(10)));

            Await.until(
                    Duration.ofSeconds(3),
                    orders.id() + " OUT_OF_SERVICE while draining",
                    () -> "OUT_OF_SERVICE".equals(statusOf(orders)));
            draining.get(15, TimeUnit.SECONDS);
            assertEquals("ABSENT", statusOf(orders), "cancelled after the drain");
        }
    }

    /** The server's root given for its service URL, as a first try often has it: the failure says what to give. */
    @Test
    void theServersRootForItsServiceUrlIsAFailureThatSaysSo() throws Exception {
        String root = url().substring(0, url().indexOf("/eureka"));
        try (var backend = TestBackends.create(TestBackends.settings(type(), root, Map.of()))) {
            java.io.IOException failure = org.junit.jupiter.api.Assertions.assertThrows(
                    java.io.IOException.class, () -> backend.register(instance(18089), timeout()));
            assertTrue(
                    failure.getMessage().contains("answered 404")
                            && failure.getMessage().contains("is autoreg.registry.url Eureka's service URL"),
                    failure.getMessage());
        }
    }

    /**
     * A {@code defaultZone} list whose first server is down, as Eureka's own client takes it: registered, renewed and
     * cancelled through the next one.
     */
    @Test
    void aServerListWhoseFirstIsDownRegistersRenewsAndCancelsThroughTheNext() throws Exception {
        ServiceInstance orders = instance(18088);
        String down = "http://127.0.0.1:" + FreePorts.next() + "/eureka/";
        try (var backend = TestBackends.create(TestBackends.settings(type(), down + "," + url(), Map.of()));
                var manager = new RegistrationManager(backend, heartbeat())) {
            Registration registration = manager.register(orders);
            await(Duration.ofSeconds(10), orders.id() + " UP through the second server", () -> isUp(orders));
            Await.holdsFor(timeout().multipliedBy(3).plusSeconds(1), orders.id() + " renewed", () -> isUp(orders));

            registration.deregister(Duration.ofSeconds(5));
            assertEquals("ABSENT", statusOf(orders), "cancelled through the second server");
        }
    }

    /**
     * Settings from the agent's arguments and Eureka over plain HTTP: the agent's own light client registers, and its
     * drain at SIGTERM marks the instance OUT_OF_SERVICE before the cancel, as the core's client does.
     */
    @Test
    void theAgentSpeaksToEurekaThroughItsLightClientAndDrainsOnSigterm() throws Exception {
        try (SampleApp app = SampleApp.underAgent(
                type(),
                url(),
                "agent-orders",
                "agent-light-eureka",
                Duration.ofSeconds(3),
                List.of(
                        "-Dautoreg.log.level=debug",
                        "-Dautoreg.agent.drain=3s",
                        "-Dautoreg.agent.shutdown-timeout=10s"))) {
            ServiceInstance instance = agentInstance("agent-light-eureka", app.awaitPort());
            await(Duration.ofSeconds(15), "agent-light-eureka listed\n" + app.output(), () -> isUp(instance));
            String output = app.output();
            assertTrue(output.contains("registry client for eureka: the agent's light client"), output);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
                try {
                    app.terminate();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Await.until(
                    Duration.ofSeconds(3),
                    "agent-light-eureka OUT_OF_SERVICE while the agent drains\n" + app.output(),
                    () -> "OUT_OF_SERVICE".equals(statusOf(instance)));
            stopping.get(20, TimeUnit.SECONDS);
            assertEquals("ABSENT", statusOf(instance), "cancelled after the drain\n" + app.output());
        }
    }
}
