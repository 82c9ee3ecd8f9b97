package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.agent.lite.RecordingServer.Seen;
import io.autoreg.core.internal.backend.eureka.EurekaRegistry;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The light Eureka client beside the core's {@code EurekaRegistry}, both against one {@link RecordingServer}: the same
 * requests (method, raw path and query, basic auth, JSON body as Eureka parses it) for the same calls. The real Eureka
 * server, with and without basic auth, reads the light client's registrations in backends-it ({@code EurekaBackendIT},
 * {@code EurekaSecureBackendIT}).
 */
class LiteEurekaBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordingServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new RecordingServer("X-Auth-Token", 204);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String url(String userInfo) {
        return server.url(userInfo, "/eureka");
    }

    static RegistrySettings settings(String type, String url, RegistrySettings.TlsSettings tls, String token) {
        return new RegistrySettings(
                type, url, token, null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(2), tls, Map.of());
    }

    private static RegistrySettings settings(String url) {
        return settings("eureka", url, new RegistrySettings.TlsSettings(null, null, null), null);
    }

    static ServiceInstance instance(String id, String name) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("zone", "eu-1");
        metadata.put("tags", "overwritten by the tags, in place");
        metadata.put("note", "caf\u00e9 \"q\" \\ \t");
        return new ServiceInstance(id, name, "::1", 8080, List.of("blue", "v2"), metadata);
    }

    /** register, renew, drain and cancel through one backend; what the server saw of them. */
    private List<Seen> lifeOf(RegistryBackend backend, ServiceInstance instance) throws IOException {
        server.takeSeen();
        RegistryBackend.Lease lease = backend.register(instance, Duration.ofSeconds(10));
        server.answerNext(200, "");
        assertTrue(backend.renew(lease));
        server.answerNext(200, "");
        backend.markOutOfService(lease);
        server.answerNext(200, "");
        backend.deregister(lease);
        return server.takeSeen();
    }

    /** The same life through the core's client and the light one, at {@code url}: what the server saw of the light. */
    private List<Seen> sameRequestsAsTheCore(String url, ServiceInstance instance) throws IOException {
        List<Seen> core;
        try (EurekaRegistry backend = new EurekaRegistry(settings(url))) {
            core = lifeOf(backend, instance);
        }
        List<Seen> lite;
        try (LiteEurekaBackend backend = new LiteEurekaBackend(settings(url))) {
            lite = lifeOf(backend, instance);
        }
        RecordingServer.assertSameRequests(core, lite);
        return lite;
    }

    /** A loopback URL nothing listens on: connecting is refused at once. */
    private static String closedUrl(String path) throws IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + path;
        }
    }

    @Test
    void aServerListWhoseFirstDoesNotAnswerGoesOnToTheNextAsTheCoresClientDoes() throws IOException {
        // a defaultZone list, each server with its own credentials
        String list = closedUrl("/eureka").replace("http://", "http://alice:a@") + "," + url("bob:b");
        List<Seen> lite = sameRequestsAsTheCore(list, instance("orders-1", "orders"));
        assertEquals(4, lite.size(), "register, renew, drain and cancel, all on the second server: " + lite);
        assertEquals(
                "Basic " + Base64.getEncoder().encodeToString("bob:b".getBytes(StandardCharsets.UTF_8)),
                lite.get(0).authorization());
    }

    @Test
    void aServerAnswering5xxPassesTheCallOnAndTheNextIsKeptAsWithTheCoresClient() throws IOException {
        try (RecordingServer sick = new RecordingServer("X-Auth-Token", 503)) {
            String list = sick.url(null, "/eureka/") + "," + url(null);
            sameRequestsAsTheCore(list, instance("orders-1", "orders"));
            List<Seen> atTheSick = sick.takeSeen();
            assertEquals(2, atTheSick.size(), "one register from each client, nothing after: " + atTheSick);
            assertEquals("/eureka/apps/ORDERS", atTheSick.get(1).rawPathAndQuery());
        }
    }

    @Test
    void whenNoServerAnswersTheFailureNamesEachAsTheCoresClientDoes() throws IOException {
        String a = closedUrl("/eureka");
        String b = closedUrl("/eureka");
        ServiceInstance orders = instance("orders-1", "orders");
        String core;
        try (EurekaRegistry backend = new EurekaRegistry(settings(a + "," + b))) {
            core = assertThrows(IOException.class, () -> backend.register(orders, Duration.ofSeconds(10)))
                    .getMessage();
        }
        String lite;
        try (LiteEurekaBackend backend = new LiteEurekaBackend(settings(a + "," + b))) {
            lite = assertThrows(IOException.class, () -> backend.register(orders, Duration.ofSeconds(10)))
                    .getMessage();
        }
        for (String message : List.of(core, lite)) {
            assertTrue(
                    message.startsWith("eureka: no server answered POST /eureka/apps/ORDERS: " + a
                                    + " did not answer (ConnectException: ")
                            && message.contains("; " + b + " did not answer (ConnectException: "),
                    message);
        }
    }

    @Test
    void aRegisterAnswered404AsksWhetherTheUrlIsEurekasServiceUrlOnBothClients() throws IOException {
        // a server's root, where Spring's Eureka has its API at /eureka
        String root = server.url(null, "");
        ServiceInstance orders = instance("orders-1", "orders");
        server.answerNext(404, "{\"timestamp\":0,\"status\":404,\"error\":\"Not Found\",\"path\":\"/apps/ORDERS\"}");
        String core;
        try (EurekaRegistry backend = new EurekaRegistry(settings(root))) {
            core = assertThrows(IOException.class, () -> backend.register(orders, Duration.ofSeconds(10)))
                    .getMessage();
        }
        server.answerNext(404, "{\"timestamp\":0,\"status\":404,\"error\":\"Not Found\",\"path\":\"/apps/ORDERS\"}");
        String lite;
        try (LiteEurekaBackend backend = new LiteEurekaBackend(settings(root))) {
            lite = assertThrows(IOException.class, () -> backend.register(orders, Duration.ofSeconds(10)))
                    .getMessage();
        }
        assertEquals(core, lite);
        assertTrue(
                lite.startsWith("eureka register orders-1 (a 404 to a register: is autoreg.registry.url Eureka's"
                        + " service URL, such as http://127.0.0.1:8761/eureka?) answered 404: "),
                lite);
    }

    @Test
    void sendsWhatTheCoreClientSendsForEachCall() throws IOException {
        List<Seen> lite = sameRequestsAsTheCore(url(null), instance("orders-1", "orders"));
        assertEquals("/eureka/apps/ORDERS", lite.get(0).rawPathAndQuery());
        assertEquals(
                "/eureka/apps/ORDERS/orders-1/status?value=OUT_OF_SERVICE",
                lite.get(2).rawPathAndQuery());
        assertEquals(
                "http://[::1]:8080/",
                JSON.readTree(lite.get(0).body())
                        .path("instance")
                        .path("homePageUrl")
                        .asText());
    }

    @Test
    void credentialsInTheUrlAndOddNamesReachTheServerAsTheCoreSendsThem() throws IOException {
        String userInfo = "registrar:p%40ss%3Aw0rd%2F%C3%A9";
        List<Seen> lite = sameRequestsAsTheCore(url(userInfo), instance("id.with-odd_chars", "caf\u00e9 orders/v2?#%"));
        assertEquals(
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString("registrar:p@ss:w0rd/\u00e9".getBytes(StandardCharsets.UTF_8)),
                lite.get(0).authorization());
    }

    /** A registry on an IPv6 address: the URL has it in brackets, and so must the Host header, once. */
    @Test
    void anIpv6RegistryGetsTheHostHeaderTheCoreSends() throws IOException {
        try (RecordingServer v6 = new RecordingServer("X-Auth-Token", 204, "::1")) {
            RecordingServer ipv4 = server;
            server = v6;
            try {
                List<Seen> lite = sameRequestsAsTheCore(v6.url(null, "/eureka"), instance("orders-v6", "orders"));
                assertTrue(lite.get(0).host().startsWith("[::1]:"), lite.get(0).host());
            } finally {
                server = ipv4;
            }
        }
    }

    @Test
    void answersAreReadAsTheCoreReadsThem() throws IOException {
        try (LiteEurekaBackend backend = new LiteEurekaBackend(settings(url(null)))) {
            ServiceInstance orders = instance("orders-2", "orders");
            RegistryBackend.Lease lease = backend.register(orders, Duration.ofSeconds(10));
            server.answerNext(404, "");
            assertFalse(backend.renew(lease), "404: Eureka forgot the instance, register again");
            server.answerNext(404, "");
            backend.deregister(lease); // already gone: fine

            server.answerNext(400, "{\"error\":\"scripted\"}");
            RefusedException refused =
                    assertThrows(RefusedException.class, () -> backend.register(orders, Duration.ofSeconds(10)));
            assertEquals("eureka register orders-2 answered 400: {\"error\":\"scripted\"}", refused.getMessage());
            server.answerNext(503, "");
            IOException unavailable =
                    assertThrows(IOException.class, () -> backend.register(orders, Duration.ofSeconds(10)));
            assertFalse(unavailable instanceof RefusedException, unavailable.toString());
            server.answerNext(500, "");
            assertThrows(IOException.class, () -> backend.markOutOfService(lease));
        }
    }

    @Test
    void servesPlainHttpWithOrWithoutCredentialsButNotTls() {
        RegistrySettings.TlsSettings noTls = new RegistrySettings.TlsSettings(null, null, null);
        assertTrue(LiteEurekaBackend.serves(settings("http://127.0.0.1:8761/eureka")));
        assertTrue(LiteEurekaBackend.serves(settings("http://u:p@127.0.0.1:8761/eureka")));
        assertFalse(LiteEurekaBackend.serves(settings("https://127.0.0.1:8761/eureka")));
        assertFalse(LiteEurekaBackend.serves(settings(
                "eureka",
                "http://127.0.0.1:8761/eureka",
                new RegistrySettings.TlsSettings("/ca.pem", null, null),
                null)));
        assertFalse(LiteEurekaBackend.serves(settings("consul", "http://127.0.0.1:8500", noTls, null)));
    }
}
