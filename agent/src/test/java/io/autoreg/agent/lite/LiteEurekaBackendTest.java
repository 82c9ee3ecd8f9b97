package io.autoreg.agent.lite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.autoreg.core.internal.backend.eureka.EurekaRegistry;
import io.autoreg.core.internal.lifecycle.RefusedException;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The light Eureka client beside the core's {@code EurekaRegistry}, both against one scripted server that records what
 * arrives: the same requests (method, raw path and query, basic auth, JSON body as Eureka parses it) for the same
 * calls. The real Eureka server, with and without basic auth, reads the light client's registrations in
 * backends-it ({@code EurekaBackendIT}, {@code EurekaSecureBackendIT}).
 */
class LiteEurekaBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server saw of one request. */
    record Seen(String method, String rawPathAndQuery, String authorization, String contentType, String body) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** The status of each next answer; 204 when none is queued. */
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String query = exchange.getRequestURI().getRawQuery();
                seen.add(new Seen(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            Integer status = statuses.poll();
            byte[] body = status == null || status < 400
                    ? new byte[0]
                    : "{\"error\":\"scripted\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 204 : status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String userInfo) {
        return "http://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:"
                + server.getAddress().getPort() + "/eureka";
    }

    private static RegistrySettings settings(String url) {
        return settings("eureka", url, new RegistrySettings.TlsSettings(null, null, null));
    }

    private static RegistrySettings settings(String type, String url, RegistrySettings.TlsSettings tls) {
        return new RegistrySettings(
                type, url, null, null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(2), tls, Map.of());
    }

    private static ServiceInstance instance(String id, String name) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("zone", "eu-1");
        metadata.put("tags", "overwritten by the tags, in place");
        metadata.put("note", "caf\u00e9 \"q\" \\ \t");
        return new ServiceInstance(id, name, "::1", 8080, List.of("blue", "v2"), metadata);
    }

    /** register, renew, drain and cancel through one backend; what the server saw of them. */
    private List<Seen> lifeOf(RegistryBackend backend, ServiceInstance instance) throws IOException {
        seen.clear();
        RegistryBackend.Lease lease = backend.register(instance, Duration.ofSeconds(10));
        statuses.add(200);
        assertTrue(backend.renew(lease));
        statuses.add(200);
        backend.markOutOfService(lease);
        statuses.add(200);
        backend.deregister(lease);
        return new ArrayList<>(seen);
    }

    private void assertSameRequests(List<Seen> core, List<Seen> lite) throws IOException {
        assertEquals(core.size(), lite.size(), core + "\n" + lite);
        for (int i = 0; i < core.size(); i++) {
            Seen c = core.get(i);
            Seen l = lite.get(i);
            assertEquals(c.method(), l.method());
            assertEquals(c.rawPathAndQuery(), l.rawPathAndQuery());
            assertEquals(c.authorization(), l.authorization());
            assertEquals(mediaType(c.contentType()), mediaType(l.contentType()));
            if (c.body().isEmpty()) {
                assertEquals("", l.body());
            } else {
                assertEquals(JSON.readTree(c.body()), JSON.readTree(l.body()), l.body());
            }
        }
    }

    /** The media type without its parameters: a charset parameter (UTF-8, JSON's own) may differ between the two. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
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
        assertSameRequests(core, lite);
        return lite;
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
                        + java.util.Base64.getEncoder()
                                .encodeToString("registrar:p@ss:w0rd/\u00e9".getBytes(StandardCharsets.UTF_8)),
                lite.get(0).authorization());
    }

    @Test
    void answersAreReadAsTheCoreReadsThem() throws IOException {
        try (LiteEurekaBackend backend = new LiteEurekaBackend(settings(url(null)))) {
            ServiceInstance orders = instance("orders-2", "orders");
            RegistryBackend.Lease lease = backend.register(orders, Duration.ofSeconds(10));
            statuses.add(404);
            assertFalse(backend.renew(lease), "404: Eureka forgot the instance, register again");
            statuses.add(404);
            backend.deregister(lease); // already gone: fine

            statuses.add(400);
            RefusedException refused =
                    assertThrows(RefusedException.class, () -> backend.register(orders, Duration.ofSeconds(10)));
            assertTrue(
                    refused.getMessage().startsWith("eureka register orders-2 answered 400: "), refused.getMessage());
            statuses.add(503);
            IOException unavailable =
                    assertThrows(IOException.class, () -> backend.register(orders, Duration.ofSeconds(10)));
            assertFalse(unavailable instanceof RefusedException, unavailable.toString());
            statuses.add(500);
            assertThrows(IOException.class, () -> backend.markOutOfService(lease));
        }
    }

    @Test
    void servesPlainHttpWithOrWithoutCredentialsButNotTls() {
        assertTrue(LiteEurekaBackend.serves(settings("http://127.0.0.1:8761/eureka")));
        assertTrue(LiteEurekaBackend.serves(settings("http://u:p@127.0.0.1:8761/eureka")));
        assertFalse(LiteEurekaBackend.serves(settings("https://127.0.0.1:8761/eureka")));
        RegistrySettings.TlsSettings noTls = new RegistrySettings.TlsSettings(null, null, null);
        assertFalse(LiteEurekaBackend.serves(settings(
                "eureka", "http://127.0.0.1:8761/eureka", new RegistrySettings.TlsSettings("/ca.pem", null, null))));
        assertFalse(LiteEurekaBackend.serves(settings("consul", "http://127.0.0.1:8500", noTls)));
    }
}
