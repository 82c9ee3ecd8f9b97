package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoreg.core.internal.backend.etcd.EtcdRegistry;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import io.autoreg.testing.EtcdServer;
import io.autoreg.testing.FreePorts;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's light etcd client against real etcd servers (Debian's etcd-server): one open, one with password
 * authentication. A consumer reads what it wrote with a plain range request, and the core's {@code EtcdRegistry}
 * writes the same instance beside it: the two clients must leave the same thing in etcd.
 */
class LiteEtcdBackendIT {

    private static final String ROOT_PASSWORD = "root-pw";
    private static final String USER = "registrar";
    private static final String PASSWORD = "p@ss:w0rd/\u00e9";
    private static final EtcdServer OPEN = new EtcdServer();
    private static final EtcdServer SECURED = new EtcdServer();
    private static final Http HTTP = new Http();

    @BeforeAll
    static void startEtcd() throws Exception {
        OPEN.start();
        SECURED.start();
        SECURED.enableAuthentication(HTTP, ROOT_PASSWORD, USER, PASSWORD, "/autoreg/");
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        try {
            OPEN.close();
        } finally {
            SECURED.close();
        }
    }

    private static RegistrySettings settings(String url, String user, String password, Map<String, String> options) {
        return new RegistrySettings(
                "etcd",
                url,
                null,
                user,
                password,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                new RegistrySettings.TlsSettings(null, null, null),
                options);
    }

    private static ServiceInstance instance(String id) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("zone", "eu-1");
        metadata.put("note", "caf\u00e9 \"quoted\" back\\slash\ttab\u0001");
        return new ServiceInstance(id, "orders", "127.0.0.1", 8080, List.of("blue", "v2"), metadata);
    }

    /** The value under a key as a consumer reads it ({@code root}'s token on the secured server), or null. */
    private static JsonNode read(EtcdServer etcd, String key) throws IOException {
        Http reader = etcd == SECURED ? new Http(new OkHttpClient(), etcd.token(HTTP, "root", ROOT_PASSWORD)) : HTTP;
        return etcd.readJson(reader, key);
    }

    /** The lease's granted TTL, as {@code etcdctl lease timetolive} reads it. */
    private static long grantedTtl(String key) throws IOException {
        JsonNode kvs = HTTP.postJson(OPEN.url() + "/v3/kv/range", EtcdServer.json("key", EtcdServer.base64(key)))
                .path("kvs");
        ObjectNode ask = Http.mapper()
                .createObjectNode()
                .put("ID", kvs.get(0).path("lease").asText());
        return HTTP.postJson(OPEN.url() + "/v3/lease/timetolive", ask)
                .path("grantedTTL")
                .asLong();
    }

    @Test
    void writesWhatTheCoreClientWritesRenewsAndRevokesIdempotently() throws Exception {
        RegistrySettings settings = settings(OPEN.url(), null, null, Map.of());
        try (LiteEtcdBackend lite = new LiteEtcdBackend(settings);
                EtcdRegistry core = new EtcdRegistry(settings)) {
            ServiceInstance mine = instance("orders-lite");
            ServiceInstance theirs = instance("orders-core");
            RegistryBackend.Lease lease = lite.register(mine, Duration.ofSeconds(9));
            RegistryBackend.Lease coreLease = core.register(theirs, Duration.ofSeconds(9));

            assertEquals(core.keyOf(theirs).replace("orders-core", "orders-lite"), lite.keyOf(mine));
            JsonNode written = read(OPEN, lite.keyOf(mine));
            JsonNode expected = ((ObjectNode) read(OPEN, core.keyOf(theirs))).put("id", "orders-lite");
            assertEquals(expected, written, "the same JSON, field for field");
            assertEquals(grantedTtl(core.keyOf(theirs)), grantedTtl(lite.keyOf(mine)), "the same lease TTL");

            assertTrue(lite.renew(lease));
            lite.deregister(lease);
            assertNull(read(OPEN, lite.keyOf(mine)), "revoking the lease deletes the key at once");
            lite.deregister(lease); // a lease etcd no longer knows: 404 with gRPC code 5, nothing to do
            assertFalse(lite.renew(lease), "a revoked lease renews as false: the lifecycle registers again");
            core.deregister(coreLease);
        }
    }

    @Test
    void aPrefixOptionAndATrailingSlashInTheUrlAreHonoured() throws Exception {
        try (LiteEtcdBackend lite =
                new LiteEtcdBackend(settings(OPEN.url() + "/", null, null, Map.of("prefix", "/services/")))) {
            ServiceInstance mine = instance("orders-prefixed");
            RegistryBackend.Lease lease = lite.register(mine, Duration.ofSeconds(9));
            assertEquals("/services/orders/orders-prefixed", lite.keyOf(mine));
            assertNotNull(read(OPEN, "/services/orders/orders-prefixed"));
            lite.deregister(lease);
        }
    }

    @Test
    void withPasswordAuthenticationItRegistersAndAuthenticatesAgainWhenEtcdDropsItsToken() throws Exception {
        try (LiteEtcdBackend lite = new LiteEtcdBackend(settings(SECURED.url(), USER, PASSWORD, Map.of()))) {
            RegistryBackend.Lease first = lite.register(instance("orders-auth-1"), Duration.ofSeconds(9));
            assertEquals(
                    "orders-auth-1",
                    read(SECURED, lite.keyOf(first.instance())).path("id").asText());

            // turning auth off and on again invalidates every token etcd issued: the next write is refused with
            // 401 (gRPC UNAUTHENTICATED), and the client must fetch a new token once and go on
            String root = SECURED.token(HTTP, "root", ROOT_PASSWORD);
            new Http(new OkHttpClient(), root).postJson(SECURED.url() + "/v3/auth/disable", EtcdServer.json());
            HTTP.postJson(SECURED.url() + "/v3/auth/enable", EtcdServer.json());

            RegistryBackend.Lease second = lite.register(instance("orders-auth-2"), Duration.ofSeconds(9));
            assertNotNull(read(SECURED, lite.keyOf(second.instance())));
            assertTrue(lite.renew(second));
            lite.deregister(first);
            lite.deregister(second);
            assertNull(read(SECURED, lite.keyOf(second.instance())));
        }
    }

    @Test
    void aWrongPasswordIsARefusalNamingTheUserNotThePassword() {
        try (LiteEtcdBackend lite = new LiteEtcdBackend(settings(SECURED.url(), USER, "not-" + PASSWORD, Map.of()))) {
            RefusedException refused = assertThrows(
                    RefusedException.class, () -> lite.register(instance("orders-bad-pw"), Duration.ofSeconds(9)));
            assertTrue(refused.getMessage().contains("'" + USER + "'"), refused.getMessage());
            assertFalse(refused.getMessage().contains(PASSWORD), refused.getMessage());
        }
    }

    @Test
    void aPrefixOutsideTheUsersRoleIsARefusal() {
        try (LiteEtcdBackend lite =
                new LiteEtcdBackend(settings(SECURED.url(), USER, PASSWORD, Map.of("prefix", "/elsewhere")))) {
            RefusedException refused = assertThrows(
                    RefusedException.class, () -> lite.register(instance("orders-outside"), Duration.ofSeconds(9)));
            assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
        }
    }

    @Test
    void anEtcdThatIsNotThereIsAnIoExceptionTheLifecycleRetries() {
        String nobody = "http://127.0.0.1:" + FreePorts.next();
        try (LiteEtcdBackend lite = new LiteEtcdBackend(settings(nobody, null, null, Map.of()))) {
            IOException down = assertThrows(
                    IOException.class, () -> lite.register(instance("orders-down"), Duration.ofSeconds(9)));
            assertFalse(down instanceof RefusedException, down.toString());
        }
    }
}
