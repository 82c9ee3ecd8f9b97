package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.agent.lite.RecordingServer.Seen;
import io.autoreg.core.internal.backend.consul.ConsulRegistry;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The light Consul client beside the core's {@code ConsulRegistry}, both against one {@link RecordingServer}: the same
 * requests to the Consul agent's API for the same calls, and the agent's answers read alike. Consul cannot be installed
 * here, so this, like the core's own {@code ConsulRegistryTest}, holds to the documented API: the answers scripted
 * below are the ones Consul's documentation and source give (older agents answer 500 where newer ones answer 404).
 */
class LiteConsulBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RegistrySettings.TlsSettings NO_TLS = new RegistrySettings.TlsSettings(null, null, null);

    private RecordingServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new RecordingServer("X-Consul-Token", 200);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private RegistrySettings settings(String userInfo, String token) {
        return LiteEurekaBackendTest.settings("consul", server.url(userInfo, ""), NO_TLS, token);
    }

    /** register, pass the check, drain and deregister through one backend; what the server saw of them. */
    private List<Seen> lifeOf(RegistryBackend backend, ServiceInstance instance, Duration ttl) throws IOException {
        server.takeSeen();
        RegistryBackend.Lease lease = backend.register(instance, ttl);
        assertTrue(backend.renew(lease));
        backend.markOutOfService(lease);
        backend.deregister(lease);
        return server.takeSeen();
    }

    private List<Seen> sameRequestsAsTheCore(RegistrySettings settings, ServiceInstance instance, Duration ttl)
            throws IOException {
        List<Seen> core;
        try (ConsulRegistry backend = new ConsulRegistry(settings)) {
            core = lifeOf(backend, instance, ttl);
        }
        List<Seen> lite;
        try (LiteConsulBackend backend = new LiteConsulBackend(settings)) {
            lite = lifeOf(backend, instance, ttl);
        }
        RecordingServer.assertSameRequests(core, lite);
        return lite;
    }

    @Test
    void sendsWhatTheCoreClientSendsWithTheTokenForEachCall() throws IOException {
        List<Seen> lite = sameRequestsAsTheCore(
                settings(null, "acl-t0ken"),
                LiteEurekaBackendTest.instance("orders-1", "orders"),
                Duration.ofSeconds(9));
        assertEquals("/v1/agent/service/register", lite.get(0).rawPathAndQuery());
        assertEquals("/v1/agent/check/pass/service:orders-1", lite.get(1).rawPathAndQuery());
        assertEquals(
                "/v1/agent/service/maintenance/orders-1?enable=true&reason=autoreg%3A%20draining%20before%20shutdown",
                lite.get(2).rawPathAndQuery());
        assertEquals("/v1/agent/service/deregister/orders-1", lite.get(3).rawPathAndQuery());
        assertEquals("acl-t0ken", lite.get(0).token());
        JsonNode check = JSON.readTree(lite.get(0).body()).path("Check");
        assertEquals("17s", check.path("TTL").asText(), "three renewal intervals of a 9 s timeout (5.4 s), rounded up");
        assertEquals("60s", check.path("DeregisterCriticalServiceAfter").asText(), "twice that, at least a minute");
    }

    @Test
    void aLongTimeoutAndCredentialsInTheUrlGoAsTheCoreSendsThem() throws IOException {
        List<Seen> lite = sameRequestsAsTheCore(
                settings("ops:s%3Acret", null),
                LiteEurekaBackendTest.instance("id.with-odd_chars", "caf\u00e9 orders"),
                Duration.ofMinutes(2));
        JsonNode check = JSON.readTree(lite.get(0).body()).path("Check");
        assertEquals("288s", check.path("TTL").asText(), "three renewal intervals of a 2 min timeout (96 s)");
        assertEquals("576s", check.path("DeregisterCriticalServiceAfter").asText());
        assertTrue(lite.get(0).authorization().startsWith("Basic "), lite.get(0).authorization());
    }

    @Test
    void aLostCheckRegistersAgainAndAnUnknownServiceIsGoneAlready() throws IOException {
        try (LiteConsulBackend backend = new LiteConsulBackend(settings(null, null))) {
            RegistryBackend.Lease lease =
                    backend.register(LiteEurekaBackendTest.instance("orders-2", "orders"), Duration.ofSeconds(9));
            server.answerNext(500, "CheckID \"service:orders-2\" does not have associated TTL");
            assertFalse(backend.renew(lease), "an older agent that lost the service");
            server.answerNext(404, "Unknown check ID \"service:orders-2\"");
            assertFalse(backend.renew(lease), "a newer agent that lost the service");
            server.answerNext(404, "Unknown service ID \"orders-2\"");
            backend.deregister(lease);

            server.answerNext(500, "rpc error: no leader");
            IOException noLeader = assertThrows(IOException.class, () -> backend.renew(lease));
            assertFalse(noLeader instanceof RefusedException, noLeader.toString());
            server.answerNext(403, "Permission denied");
            RefusedException acl = assertThrows(
                    RefusedException.class,
                    () -> backend.register(
                            LiteEurekaBackendTest.instance("orders-2", "orders"), Duration.ofSeconds(9)));
            assertEquals("consul register orders-2 answered 403: Permission denied", acl.getMessage());
        }
    }

    @Test
    void servesPlainHttpWithOrWithoutCredentialsButNotTls() {
        assertTrue(LiteConsulBackend.serves(settings(null, "t")));
        assertTrue(LiteConsulBackend.serves(settings("u:p", null)));
        assertFalse(LiteConsulBackend.serves(
                LiteEurekaBackendTest.settings("consul", "https://127.0.0.1:8501", NO_TLS, null)));
        assertFalse(LiteConsulBackend.serves(
                LiteEurekaBackendTest.settings("eureka", "http://127.0.0.1:8500", NO_TLS, null)));
    }
}
