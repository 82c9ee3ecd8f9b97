package io.autoreg.registry.clientit;

import static io.autoreg.registry.clientit.ClientItSupport.quietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.NotFoundException;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.model.Event;
import io.autoreg.core.client.model.Service;
import io.autoreg.core.internal.backend.Backends;
import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.core.internal.settings.SettingsLoader;
import io.autoreg.registry.RegistryServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registration lifecycle as the agent and sidecar use it — settings → {@link Backends} →
 * {@link RegistrationManager} — against the real registry server.
 */
class RegistrationLifecycleIT {

    private static final ServiceInstance ORDERS = new ServiceInstance(
            "orders-127.0.0.1-8080", "orders", "127.0.0.1", 8080, List.of("v1"), Map.of("port", "8080", "pid", "42"));

    @TempDir
    Path data;

    private static AutoregSettings settings(String url, String... more) {
        java.util.Map<String, String> overrides =
                new java.util.HashMap<>(Map.of("registry.url", url, "heartbeat.timeout", "3s"));
        for (int i = 0; i < more.length; i += 2) {
            overrides.put(more[i], more[i + 1]);
        }
        return SettingsLoader.load(overrides, new Properties(), Map.of(), null);
    }

    @Test
    void registersStaysAliveComesBackAfterRemovalAndDeregistersOnClose() throws Exception {
        try (RegistryServer server = ClientItSupport.openServer(data);
                ServiceRegistryClient observer = ClientItSupport.client(server, "life")) {
            AutoregSettings s = settings(server.baseUrl() + "/v1.0/life");
            RegistryBackend backend = Backends.create(s.registry());
            try (RegistrationManager manager = new RegistrationManager(backend, s.heartbeat())) {
                Registration r = manager.register(ORDERS);
                assertTrue(r.awaitState(RegistrationState.REGISTERED, Duration.ofSeconds(5)));
                Service registered = observer.services().get(ORDERS.id());
                assertEquals(3, registered.heartbeatTimeout());
                assertEquals(Map.of("service_name", "orders", "port", "8080", "pid", "42"), registered.metadata());
                assertEquals(List.of("v1"), registered.tags());

                long until = System.nanoTime() + Duration.ofSeconds(7).toNanos();
                while (System.nanoTime() < until) {
                    observer.services().get(ORDERS.id()); // throws NotFoundException if it ever expired
                    Thread.sleep(250);
                }
                assertTrue(observer.events()
                        .list(null, null, Event.SERVICE_TIMEOUT)
                        .values()
                        .isEmpty());

                observer.services().delete(ORDERS.id());
                ClientItSupport.await(
                        Duration.ofSeconds(5),
                        quietly(() -> observer.services().get(ORDERS.id()) != null),
                        "registered again after the registry forgot it");
                // the registry shows the new entry a moment before the lifecycle has read the 201
                assertTrue(r.awaitState(RegistrationState.REGISTERED, Duration.ofSeconds(5)), "state " + r.state());
            } finally {
                backend.close();
            }
            assertThrows(NotFoundException.class, () -> observer.services().get(ORDERS.id()), "close() deregistered");
            List<Event> removes =
                    observer.events().list(null, null, Event.SERVICE_REMOVE).values();
            assertEquals(2, removes.size(), "a service.remove for our delete and one for close(), no timeout");
        }
    }

    @Test
    void aRegistryThatStartsLateIsJoinedWithinOneBackoffStep() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        AutoregSettings s = settings("http://127.0.0.1:" + port + "/v1.0/late", "retry.max-backoff", "2s");
        RegistryBackend backend = Backends.create(s.registry());
        try (RegistrationManager manager = new RegistrationManager(backend, s.heartbeat())) {
            long start = System.nanoTime();
            Registration r = manager.register(ORDERS);
            long registerMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(registerMillis < 200, "register() never blocks the caller: " + registerMillis + " ms");
            ClientItSupport.await(
                    Duration.ofSeconds(10), () -> r.failures() >= 3, "failing while the registry is down");
            assertEquals(RegistrationState.REGISTERING, r.state());

            try (RegistryServer server = RegistryServer.builder()
                    .bind("127.0.0.1")
                    .port(port)
                    .dataDir(data)
                    .build()
                    .start()) {
                long up = System.nanoTime();
                assertTrue(r.awaitState(RegistrationState.REGISTERED, Duration.ofSeconds(5)));
                long joinMillis = (System.nanoTime() - up) / 1_000_000;
                assertTrue(joinMillis <= 3000, "within one 2 s backoff step (+1 s slack): " + joinMillis + " ms");
                try (ServiceRegistryClient observer = ClientItSupport.client(server, "late")) {
                    assertEquals(
                            ORDERS.id(), observer.services().get(ORDERS.id()).id());
                }
                manager.deregisterAll(Duration.ZERO, Duration.ofSeconds(5));
            }
        } finally {
            backend.close();
        }
    }
}
