package io.autoreg.backendsit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.backend.etcd.EtcdRegistry;
import io.autoreg.core.internal.http.HttpClients;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.Registration;
import io.autoreg.core.internal.lifecycle.RegistrationManager;
import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.HeartbeatSettings;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.testing.Await;
import io.autoreg.testing.EtcdServer;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * etcd with HTTPS, client-certificate authentication and password authentication enabled: the backend
 * reaches it with {@code autoreg.registry.tls.*} and {@code autoreg.registry.auth.username/api-key}.
 */
class EtcdSecureBackendIT {

    private static final String USER = "autoreg";
    private static final String PASSWORD = "s3cr3t-pw";
    private static final String ROOT_PASSWORD = "root-pw";
    private static TestCertificates certificates;
    private static EtcdServer etcd;

    @BeforeAll
    static void startSecureEtcd() throws Exception {
        certificates = TestCertificates.create();
        etcd = new EtcdServer(
                new EtcdServer.Tls(certificates.serverCert(), certificates.serverKey(), certificates.caCert()),
                new Http(HttpClients.forRegistry(settings(null, null, true)), null));
        etcd.start();
        etcd.enableAuthentication(
                new Http(HttpClients.forRegistry(settings(null, null, true)), null),
                ROOT_PASSWORD,
                USER,
                PASSWORD,
                "/autoreg/");
    }

    @AfterAll
    static void stopSecureEtcd() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
        if (certificates != null) {
            certificates.delete();
        }
    }

    private static RegistrySettings settings(String user, String password, boolean withCa) {
        return settings(user, password, withCa, Map.of());
    }

    private static RegistrySettings settings(
            String user, String password, boolean withCa, Map<String, String> options) {
        RegistrySettings.TlsSettings tls = new RegistrySettings.TlsSettings(
                withCa ? certificates.caCert().toString() : null,
                certificates.clientCert().toString(),
                certificates.clientKey().toString());
        String url = etcd == null ? "https://127.0.0.1" : etcd.url();
        return new RegistrySettings(
                "etcd", url, null, user, password, null, Duration.ofSeconds(2), Duration.ofSeconds(5), tls, options);
    }

    /** The stored value of a key, read as root over TLS; null when absent. */
    private static JsonNode read(String key) throws IOException {
        Http anonymous = new Http(HttpClients.forRegistry(settings(null, null, true)), null);
        String token = etcd.token(anonymous, "root", ROOT_PASSWORD);
        return etcd.readJson(new Http(HttpClients.forRegistry(settings(null, null, true)), token), key);
    }

    @Test
    void registersRenewsAndDeregistersOverMutualTlsWithPasswordAuthentication() throws Exception {
        ServiceInstance orders =
                new ServiceInstance("orders-secure-1", "orders", "127.0.0.1", 18090, List.of(), Map.of());
        EtcdRegistry backend = new EtcdRegistry(settings(USER, PASSWORD, true));
        HeartbeatSettings heartbeat =
                new HeartbeatSettings(Duration.ofSeconds(3), null, Duration.ofMillis(100), Duration.ofSeconds(1));
        try (RegistrationManager manager = new RegistrationManager(backend, heartbeat)) {
            Registration registration = manager.register(orders);
            assertTrue(
                    registration.awaitState(RegistrationState.REGISTERED, Duration.ofSeconds(10)),
                    registration.toString());
            String key = backend.keyOf(orders);
            assertEquals(18090, read(key).get("port").asInt());

            Await.holdsFor(Duration.ofSeconds(10), "renewed over TLS with a token", () -> readQuietly(key) != null);
            assertEquals(RegistrationState.REGISTERED, registration.state());

            registration.deregister(Duration.ofSeconds(5));
            assertNull(read(key), "revoked");
        }
    }

    private static JsonNode readQuietly(String key) {
        try {
            return read(key);
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void aWrongPasswordIsARefusalNamingTheUser() {
        EtcdRegistry backend = new EtcdRegistry(settings(USER, "wrong", true));
        ServiceInstance orders =
                new ServiceInstance("orders-secure-2", "orders", "127.0.0.1", 18091, List.of(), Map.of());

        // A retry cannot get past it: the lifecycle says so once and tries again slowly.
        IOException refused =
                assertThrows(RefusedException.class, () -> backend.register(orders, Duration.ofSeconds(3)));
        assertTrue(refused.getMessage().contains("'" + USER + "'"), refused.getMessage());
    }

    @Test
    void aPrefixOutsideTheUsersRoleIsARefusal() {
        EtcdRegistry backend = new EtcdRegistry(settings(USER, PASSWORD, true, Map.of("prefix", "/elsewhere")));
        ServiceInstance orders =
                new ServiceInstance("orders-secure-4", "orders", "127.0.0.1", 18093, List.of(), Map.of());

        IOException refused =
                assertThrows(RefusedException.class, () -> backend.register(orders, Duration.ofSeconds(3)));
        assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
    }

    @Test
    void withoutTheConfiguredCaTheServerIsNotTrusted() {
        EtcdRegistry backend = new EtcdRegistry(settings(USER, PASSWORD, false));
        ServiceInstance orders =
                new ServiceInstance("orders-secure-3", "orders", "127.0.0.1", 18092, List.of(), Map.of());

        assertThrows(SSLException.class, () -> backend.register(orders, Duration.ofSeconds(3)));
    }
}
