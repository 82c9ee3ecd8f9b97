package io.autoreg.core.internal.backend.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.internal.backend.http.ScriptedServer;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.lifecycle.RegistryBackend.Lease;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consul cannot be installed on the build machines, so these are its tests: a scripted HTTP server
 * checks the requests the Consul agent API documents (paths, methods, bodies, the token header) and
 * plays back Consul's failure answers.
 */
class ConsulRegistryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ServiceInstance ORDERS = new ServiceInstance(
            "orders-10.0.0.5-8080", "orders", "10.0.0.5", 8080, List.of("blue", "v2"), Map.of("version", "1.2"));

    @RegisterExtension
    final ScriptedServer consul = new ScriptedServer("Consul");

    private ConsulRegistry registry;

    @BeforeEach
    void start() {
        registry = new ConsulRegistry(settings("s3cr3t"));
    }

    private RegistrySettings settings(String token) {
        return consul.settings("consul", "/", token, null, null, Map.of());
    }

    private RecordedRequest next() throws InterruptedException {
        return consul.next();
    }

    @Test
    void registerPutsTheServiceWithAnEmbeddedTtlCheckAtThreeRenewalIntervals() throws Exception {
        consul.enqueue(new MockResponse().setResponseCode(200));

        Lease lease = registry.register(ORDERS, Duration.ofSeconds(30));

        RecordedRequest request = next();
        assertEquals("PUT", request.getMethod());
        assertEquals("/v1/agent/service/register", request.getPath());
        assertEquals("s3cr3t", request.getHeader("X-Consul-Token"));
        // 30 s timeout -> the lifecycle renews every 24 s -> check TTL 72 s, deregistered 144 s after critical.
        JsonNode expected = MAPPER.readTree("""
                {"ID":"orders-10.0.0.5-8080","Name":"orders","Address":"10.0.0.5","Port":8080,
                 "Tags":["blue","v2"],"Meta":{"version":"1.2"},
                 "Check":{"CheckID":"service:orders-10.0.0.5-8080","Name":"autoreg TTL","TTL":"72s",
                          "Status":"passing","DeregisterCriticalServiceAfter":"144s"}}""");
        assertEquals(expected, MAPPER.readTree(request.getBody().readUtf8()));
        assertEquals(ORDERS, lease.instance());
    }

    @Test
    void shortTimeoutsStillDeregisterNoSoonerThanConsulsOneMinuteMinimum() throws Exception {
        consul.enqueue(new MockResponse().setResponseCode(200));

        registry.register(ORDERS, Duration.ofSeconds(5));

        JsonNode check = MAPPER.readTree(next().getBody().readUtf8()).get("Check");
        assertEquals("6s", check.get("TTL").asText(), "5 s timeout -> 2 s interval (3 s margin) -> 6 s TTL");
        assertEquals("60s", check.get("DeregisterCriticalServiceAfter").asText());
    }

    @Test
    void renewPassesTheServiceTtlCheck() throws Exception {
        consul.enqueue(new MockResponse().setResponseCode(200));

        assertTrue(registry.renew(new ConsulRegistry.ConsulLease(ORDERS)));

        RecordedRequest request = next();
        assertEquals("PUT", request.getMethod());
        assertEquals("/v1/agent/check/pass/service:orders-10.0.0.5-8080", request.getPath());
        assertEquals("s3cr3t", request.getHeader("X-Consul-Token"));
    }

    @Test
    void renewReturnsFalseWhenTheAgentNoLongerHasTheTtlCheck() throws Exception {
        consul.enqueue(new MockResponse()
                .setResponseCode(500)
                .setBody("CheckID \"service:orders-10.0.0.5-8080\" does not have associated TTL"));

        assertFalse(registry.renew(new ConsulRegistry.ConsulLease(ORDERS)));
    }

    @Test
    void renewReturnsFalseForAnUnknownCheck() throws Exception {
        consul.enqueue(
                new MockResponse().setResponseCode(500).setBody("Unknown check \"service:orders-10.0.0.5-8080\""));
        consul.enqueue(
                new MockResponse().setResponseCode(404).setBody("Unknown check ID \"service:orders-10.0.0.5-8080\""));

        assertFalse(registry.renew(new ConsulRegistry.ConsulLease(ORDERS)), "older agents: 500");
        assertFalse(registry.renew(new ConsulRegistry.ConsulLease(ORDERS)), "newer agents: 404");
    }

    @Test
    void renewThrowsOnOtherFailuresSoTheLifecycleRetries() {
        consul.enqueue(new MockResponse().setResponseCode(500).setBody("rpc error making call: No cluster leader"));
        consul.enqueue(new MockResponse().setResponseCode(403).setBody("Permission denied"));

        IOException noLeader =
                assertThrows(IOException.class, () -> registry.renew(new ConsulRegistry.ConsulLease(ORDERS)));
        assertTrue(noLeader.getMessage().contains("No cluster leader"), noLeader.getMessage());
        assertThrows(IOException.class, () -> registry.renew(new ConsulRegistry.ConsulLease(ORDERS)));
    }

    @Test
    void aTokenWithoutPermissionIsARefusalTheLifecycleRetriesSlowly() {
        consul.enqueue(
                new MockResponse().setResponseCode(403).setBody("Permission denied: token lacks 'service:write'"));
        consul.enqueue(new MockResponse().setResponseCode(500).setBody("rpc error making call: No cluster leader"));

        IOException denied =
                assertThrows(RefusedException.class, () -> registry.register(ORDERS, Duration.ofSeconds(30)));
        assertTrue(denied.getMessage().contains("403"), denied.getMessage());
        IOException noLeader = assertThrows(IOException.class, () -> registry.register(ORDERS, Duration.ofSeconds(30)));
        assertFalse(noLeader instanceof RefusedException, "a 5xx passes: " + noLeader);
    }

    @Test
    void drainEnablesMaintenanceModeForTheService() throws Exception {
        consul.enqueue(new MockResponse().setResponseCode(200));

        assertTrue(registry.supportsDrain());
        registry.markOutOfService(new ConsulRegistry.ConsulLease(ORDERS));

        RecordedRequest request = next();
        assertEquals("PUT", request.getMethod());
        assertEquals(
                "/v1/agent/service/maintenance/orders-10.0.0.5-8080",
                request.getRequestUrl().encodedPath());
        assertEquals("true", request.getRequestUrl().queryParameter("enable"));
        assertNotNull(request.getRequestUrl().queryParameter("reason"));
        assertEquals("s3cr3t", request.getHeader("X-Consul-Token"));
    }

    @Test
    void deregisterRemovesTheServiceAndToleratesOneAlreadyGone() throws Exception {
        consul.enqueue(new MockResponse().setResponseCode(200));
        consul.enqueue(new MockResponse().setResponseCode(404).setBody("Unknown service ID \"orders-10.0.0.5-8080\""));

        registry.deregister(new ConsulRegistry.ConsulLease(ORDERS));
        registry.deregister(new ConsulRegistry.ConsulLease(ORDERS));

        RecordedRequest request = next();
        assertEquals("PUT", request.getMethod());
        assertEquals("/v1/agent/service/deregister/orders-10.0.0.5-8080", request.getPath());
        assertEquals("s3cr3t", request.getHeader("X-Consul-Token"));
        assertEquals("/v1/agent/service/deregister/orders-10.0.0.5-8080", next().getPath());
    }

    @Test
    void deregisterThrowsWhenConsulRefuses() {
        consul.enqueue(new MockResponse().setResponseCode(403).setBody("Permission denied"));

        assertThrows(IOException.class, () -> registry.deregister(new ConsulRegistry.ConsulLease(ORDERS)));
    }

    @Test
    void noTokenHeaderWithoutAConfiguredToken() throws Exception {
        ConsulRegistry anonymous = new ConsulRegistry(settings(null));
        consul.enqueue(new MockResponse().setResponseCode(200));

        anonymous.renew(new ConsulRegistry.ConsulLease(ORDERS));

        assertNull(next().getHeader("X-Consul-Token"));
    }

    @Test
    void theLifecycleRegistersAgainWhenTheAgentLostTheCheckAndDeregistersOnClose() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        consul.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath();
                if (path.startsWith("/v1/agent/check/pass/") && passes.incrementAndGet() == 1) {
                    // The agent restarted without its state: the first pass finds no TTL check.
                    return new MockResponse()
                            .setResponseCode(500)
                            .setBody("CheckID \"service:orders-10.0.0.5-8080\" does not have associated TTL");
                }
                return new MockResponse().setResponseCode(200);
            }
        });
        // 3 s timeout -> renewals every second.
        RegistrationManager manager =
                new RegistrationManager(registry, new HeartbeatSettings(Duration.ofSeconds(3), null));
        try {
            Registration registration = manager.register(ORDERS);
            assertTrue(registration.awaitState(RegistrationState.REGISTERED, Duration.ofSeconds(5)));

            assertEquals("/v1/agent/service/register", next().getPath());
            assertEquals("/v1/agent/check/pass/service:orders-10.0.0.5-8080", next().getPath());
            assertEquals("/v1/agent/service/register", next().getPath(), "registered again after the 500");
            assertEquals("/v1/agent/check/pass/service:orders-10.0.0.5-8080", next().getPath());
        } finally {
            manager.close();
        }
        RecordedRequest last;
        do {
            last = next();
        } while (last.getPath().startsWith("/v1/agent/check/pass/"));
        assertEquals("/v1/agent/service/deregister/orders-10.0.0.5-8080", last.getPath());
    }

    @Test
    void drainingPutsTheServiceInMaintenanceBeforeDeregisteringIt() throws Exception {
        consul.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(200);
            }
        });
        RegistrationManager manager =
                new RegistrationManager(registry, new HeartbeatSettings(Duration.ofSeconds(30), null));
        try {
            Registration registration = manager.register(ORDERS);
            assertTrue(registration.awaitState(RegistrationState.REGISTERED, Duration.ofSeconds(5)));
            assertEquals("/v1/agent/service/register", next().getPath());

            manager.deregisterAll(Duration.ofMillis(200), Duration.ofSeconds(5));

            assertEquals(
                    "/v1/agent/service/maintenance/orders-10.0.0.5-8080",
                    next().getRequestUrl().encodedPath());
            assertEquals("/v1/agent/service/deregister/orders-10.0.0.5-8080", next().getPath());
        } finally {
            manager.close();
        }
    }
}
