package io.autoreg.core.internal.backend.serviceregistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.internal.backend.http.ScriptedServer;
import io.autoreg.core.internal.lifecycle.RegistryBackend;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.core.internal.settings.RegistrySettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServiceRegistryBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServiceInstance ORDERS =
            new ServiceInstance("orders-1", "orders", "10.0.0.5", 8080, List.of("v1", "blue"), Map.of("port", "8080"));

    @RegisterExtension
    final ScriptedServer server = new ScriptedServer("the registry");

    private RegistrySettings settings(String token, String username, String apiKey) {
        return server.settings("service-registry", "/v1.0/7777", token, username, apiKey, Map.of());
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(body);
    }

    private static MockResponse fault(int code, String type) {
        return json(
                code,
                "{\"type\":\"" + type + "\",\"code\":" + code
                        + ",\"message\":\"m\",\"details\":\"d\",\"txnId\":\"x\"}");
    }

    private RecordedRequest take() throws InterruptedException {
        return server.next();
    }

    @Test
    void registerPostsTheServiceWithItsHeartbeatTimeoutAndKeepsTheToken() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings("static-token", null, null));
        server.enqueue(json(201, "{\"token\":\"t0\"}").setHeader("Location", "/v1.0/7777/services/orders-1"));
        RegistryBackend.Lease lease = backend.register(ORDERS, Duration.ofSeconds(3));
        RecordedRequest post = take();
        assertEquals("POST", post.getMethod());
        assertEquals("/v1.0/7777/services", post.getPath());
        assertEquals("static-token", post.getHeader("X-Auth-Token"));
        assertTrue(post.getHeader("Content-Type").startsWith("application/json"));
        JsonNode body = JSON.readTree(post.getBody().readUtf8());
        assertEquals(
                JSON.readTree("{\"id\":\"orders-1\",\"heartbeat_timeout\":3,\"tags\":[\"v1\",\"blue\"],"
                        + "\"metadata\":{\"service_name\":\"orders\",\"port\":\"8080\"}}"),
                body);
        assertEquals("t0", ((ServiceRegistryLease) lease).token());
        assertEquals(ORDERS, lease.instance());
    }

    @Test
    void eachHeartbeatSendsTheCurrentTokenAndKeepsTheNextOne() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, null, null));
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        server.enqueue(json(200, "{\"token\":\"t1\"}"));
        server.enqueue(json(200, "{\"token\":\"t2\"}"));
        RegistryBackend.Lease lease = backend.register(ORDERS, Duration.ofSeconds(30));
        assertTrue(backend.renew(lease));
        assertTrue(backend.renew(lease));
        take();
        RecordedRequest first = take();
        assertEquals("/v1.0/7777/services/orders-1/heartbeat", first.getPath());
        assertEquals("POST", first.getMethod());
        assertNull(first.getHeader("X-Auth-Token"), "no token configured: none sent");
        assertEquals("{\"token\":\"t0\"}", first.getBody().readUtf8());
        assertEquals("{\"token\":\"t1\"}", take().getBody().readUtf8());
        assertEquals("t2", ((ServiceRegistryLease) lease).token());
    }

    /** The registry's 404 as docs/api.md §3 words it: the fault's details name what is missing. */
    private static MockResponse notFound(String kind, String key) {
        return json(
                404,
                "{\"type\":\"notFoundError\",\"code\":404,\"message\":\"Object does not exist\","
                        + "\"details\":\"Object \\\"" + kind + "\\\" with key \\\"" + key
                        + "\\\" does not exist\",\"txnId\":\"x\"}");
    }

    @Test
    void aHeartbeatAnswered404MeansRegisterAgain() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, null, null));
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        server.enqueue(notFound("Service", "orders-1"));
        assertFalse(backend.renew(backend.register(ORDERS, Duration.ofSeconds(30))));
        take();
        take();
        assertEquals(2, server.getRequestCount(), "gone already: nothing to delete");
    }

    @Test
    void aSpentTokenOfAnEntryThatCannotHaveExpiredDeletesItSoItIsCreatedAgainAtOnce() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, null, null));
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        server.enqueue(notFound("HeartbeatMarker", "t0"));
        server.enqueue(new MockResponse().setResponseCode(204));
        assertFalse(backend.renew(backend.register(ORDERS, Duration.ofSeconds(30))));
        take();
        assertEquals("/v1.0/7777/services/orders-1/heartbeat", take().getPath());
        RecordedRequest delete = take();
        assertEquals("DELETE", delete.getMethod());
        assertEquals("/v1.0/7777/services/orders-1", delete.getPath());
    }

    @Test
    void aServerErrorOnHeartbeatIsATransientIOException() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, null, null));
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        server.enqueue(fault(503, "systemFailureError"));
        RegistryBackend.Lease lease = backend.register(ORDERS, Duration.ofSeconds(30));
        IOException e = assertThrows(IOException.class, () -> backend.renew(lease));
        assertEquals("heartbeat service orders-1 failed: HTTP 503 systemFailureError: m (d) [txnId x]", e.getMessage());
    }

    @Test
    void aDuplicateIdIsRetriedNotDeleted() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, null, null));
        server.enqueue(fault(400, "serviceWithThisIdExists"));
        IOException e = assertThrows(IOException.class, () -> backend.register(ORDERS, Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("still registered"), e.getMessage());
        take();
        assertEquals(1, server.getRequestCount(), "no DELETE of a possibly foreign entry");
    }

    /** ORDERS as the registry shows it once created with a 30 s timeout, with {@code port} as given. */
    private static MockResponse ordersEntry(String port) {
        return json(
                200,
                "{\"id\":\"orders-1\",\"heartbeat_timeout\":30,\"tags\":[\"v1\",\"blue\"],\"metadata\":"
                        + "{\"port\":\"" + port + "\",\"service_name\":\"orders\"},\"last_seen\":null}");
    }

    @Test
    void aDuplicateRightAfterALostCreationThatHoldsExactlyWhatWasSentIsDeletedAndCreatedAgain() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, null, null));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        assertThrows(IOException.class, () -> backend.register(ORDERS, Duration.ofSeconds(30)), "the answer lost");
        server.enqueue(fault(400, "serviceWithThisIdExists"));
        server.enqueue(ordersEntry("8080"));
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(json(201, "{\"token\":\"t1\"}"));
        RegistryBackend.Lease lease = backend.register(ORDERS, Duration.ofSeconds(30));
        assertEquals("t1", ((ServiceRegistryLease) lease).token());
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RecordedRequest r = take();
            requests.add(r.getMethod() + " " + r.getPath());
        }
        assertEquals(
                List.of(
                        "POST /v1.0/7777/services",
                        "POST /v1.0/7777/services",
                        "GET /v1.0/7777/services/orders-1",
                        "DELETE /v1.0/7777/services/orders-1",
                        "POST /v1.0/7777/services"),
                requests,
                "the lost POST is not replayed by the HTTP client");
    }

    @Test
    void aDuplicateAfterALostCreationThatHoldsSomethingElseIsLeftAlone() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, null, null));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        assertThrows(IOException.class, () -> backend.register(ORDERS, Duration.ofSeconds(30)));
        server.enqueue(fault(400, "serviceWithThisIdExists"));
        server.enqueue(ordersEntry("9090"));
        IOException e = assertThrows(IOException.class, () -> backend.register(ORDERS, Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("still registered"), e.getMessage());
        assertEquals(3, server.getRequestCount(), "POST, POST, GET: no DELETE of another instance's entry");
        server.enqueue(fault(400, "serviceWithThisIdExists"));
        assertThrows(IOException.class, () -> backend.register(ORDERS, Duration.ofSeconds(30)));
        assertEquals(4, server.getRequestCount(), "looked at once: that refusal was the answer the lost one had");
    }

    /** A server error may come after the registry applied the creation; a refusal applied nothing. */
    @Test
    void aServerErrorCountsAsALostCreationARefusalDoesNot() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, null, null));
        server.enqueue(fault(500, "internalServerError"));
        assertThrows(IOException.class, () -> backend.register(ORDERS, Duration.ofSeconds(30)));
        server.enqueue(fault(400, "serviceWithThisIdExists"));
        server.enqueue(ordersEntry("8080"));
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(json(201, "{\"token\":\"t1\"}"));
        assertEquals("t1", ((ServiceRegistryLease) backend.register(ORDERS, Duration.ofSeconds(30))).token());
        assertEquals(5, server.getRequestCount(), "POST (500), POST (exists), GET, DELETE, POST");

        ServiceInstance other = new ServiceInstance("payments-1", "payments", "10.0.0.5", 8080, List.of(), Map.of());
        server.enqueue(fault(403, "forbidden"));
        assertThrows(IOException.class, () -> backend.register(other, Duration.ofSeconds(30)));
        server.enqueue(fault(400, "serviceWithThisIdExists"));
        IOException e = assertThrows(IOException.class, () -> backend.register(other, Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("still registered"), e.getMessage());
        assertEquals(7, server.getRequestCount(), "after a refusal a duplicate is not looked at");
    }

    @Test
    void deregisterDeletesAndToleratesAnEntryThatIsAlreadyGone() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, null, null));
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(fault(404, "notFoundError"));
        RegistryBackend.Lease lease = backend.register(ORDERS, Duration.ofSeconds(30));
        backend.deregister(lease);
        backend.deregister(lease);
        take();
        RecordedRequest delete = take();
        assertEquals("DELETE", delete.getMethod());
        assertEquals("/v1.0/7777/services/orders-1", delete.getPath());
    }

    @Test
    void withCredentialsItAuthenticatesAndOn401AuthenticatesAgainAndRetriesOnce() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, "ops", "key-1"));
        server.enqueue(
                json(
                        200,
                        "{\"access\":{\"token\":{\"id\":\"tok-A\",\"expires\":\"2030-01-01T00:00:00Z\",\"tenant\":{\"id\":\"7777\"}}}}"));
        server.enqueue(json(201, "{\"token\":\"t0\"}"));
        server.enqueue(fault(401, "unauthorizedError"));
        server.enqueue(
                json(
                        200,
                        "{\"access\":{\"token\":{\"id\":\"tok-B\",\"expires\":\"2030-01-01T00:00:00Z\",\"tenant\":{\"id\":\"7777\"}}}}"));
        server.enqueue(json(200, "{\"token\":\"t1\"}"));
        RegistryBackend.Lease lease = backend.register(ORDERS, Duration.ofSeconds(30));
        assertTrue(backend.renew(lease));

        RecordedRequest auth = take();
        assertEquals("/v2.0/tokens", auth.getPath());
        assertEquals(
                JSON.readTree(
                        "{\"auth\":{\"RAX-KSKEY:apiKeyCredentials\":{\"username\":\"ops\",\"apiKey\":\"key-1\"}}}"),
                JSON.readTree(auth.getBody().readUtf8()));
        assertEquals("tok-A", take().getHeader("X-Auth-Token"));
        assertEquals("tok-A", take().getHeader("X-Auth-Token"));
        assertEquals("/v2.0/tokens", take().getPath());
        RecordedRequest retried = take();
        assertEquals("tok-B", retried.getHeader("X-Auth-Token"));
        assertEquals("{\"token\":\"t0\"}", retried.getBody().readUtf8(), "the retry repeats the same call");
    }

    @Test
    void aSecond401InARowIsAnErrorNotALoop() throws Exception {
        ServiceRegistryBackend backend = new ServiceRegistryBackend(settings(null, "ops", "key-1"));
        String tokenBody =
                "{\"access\":{\"token\":{\"id\":\"tok\",\"expires\":\"2030-01-01T00:00:00Z\",\"tenant\":{\"id\":\"7777\"}}}}";
        server.enqueue(json(200, tokenBody));
        server.enqueue(fault(401, "unauthorizedError"));
        server.enqueue(json(200, tokenBody));
        server.enqueue(fault(401, "unauthorizedError"));
        IOException e = assertThrows(IOException.class, () -> backend.register(ORDERS, Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void anUnreachableRegistryIsAnIOException() {
        // port 1 on loopback: nothing listens there, the connection is refused at once
        RegistrySettings s = new RegistrySettings(
                "service-registry",
                "http://127.0.0.1:1/v1.0/7777",
                null,
                null,
                null,
                null,
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                new RegistrySettings.TlsSettings(null, null, null),
                Map.of());
        ServiceRegistryBackend backend = new ServiceRegistryBackend(s);
        assertThrows(IOException.class, () -> backend.register(ORDERS, Duration.ofSeconds(30)));
    }
}
