package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.autoreg.sidecar.testing.Jars;
import io.autoreg.sidecar.testing.TestRegistry;
import io.autoreg.testing.Await;
import io.autoreg.testing.Child;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --check grpc} beside a real gRPC server (grpc-java with its own health service), against the real
 * registry: registered while the service it asks about is {@code SERVING}, out when the server says
 * {@code NOT_SERVING} (a server draining, {@code HealthStatusManager.enterTerminalState}), back when it serves again.
 */
class RunGrpcNeighbourIT {
    private static final String SERVICE = "orders.v1.Orders";

    @TempDir
    static Path logs;

    @Test
    void registeredWhileTheServiceServesOutWhileItDoesNotAndBackAfter() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(SERVICE, ServingStatus.SERVING);
        Server server = GrpcHealthCheckTest.onLoopback(InsecureServerCredentials.create())
                .addService(health.getHealthService())
                .build()
                .start();
        String id = "orders-grpc-127.0.0.1-" + server.getPort();
        try (TestRegistry registry = new TestRegistry("sidecar-grpc");
                Child sidecar = Child.java(
                        Jars.sidecar(),
                        List.of(
                                "run",
                                "--registry-url",
                                registry.url(),
                                "--address",
                                "127.0.0.1",
                                "--port",
                                String.valueOf(server.getPort()),
                                "--check",
                                "grpc",
                                "--grpc-service",
                                SERVICE,
                                "--name",
                                "orders-grpc",
                                "--interval",
                                "300ms",
                                "--timeout",
                                "5s",
                                "--fall",
                                "2",
                                "--heartbeat-timeout",
                                "5s"),
                        Map.of(),
                        logs,
                        "sidecar-grpc")) {
            Await.until(Duration.ofSeconds(20), id + " registered", () -> registry.hasService(id));
            assertEquals(
                    String.valueOf(server.getPort()),
                    registry.service(id).path("metadata").path("port").asText());
            assertEquals(
                    "grpc", registry.service(id).path("metadata").path("check").asText());

            health.setStatus(SERVICE, ServingStatus.NOT_SERVING);
            Await.until(Duration.ofSeconds(10), id + " deregistered while NOT_SERVING", () -> !registry.hasService(id));

            health.setStatus(SERVICE, ServingStatus.SERVING);
            Await.until(Duration.ofSeconds(10), id + " registered again", () -> registry.hasService(id));

            sidecar.terminate();
            sidecar.awaitExit(Duration.ofSeconds(10));
            assertFalse(registry.hasService(id), "deregistered at SIGTERM (the heartbeat timeout is 5 s)");
        } finally {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
