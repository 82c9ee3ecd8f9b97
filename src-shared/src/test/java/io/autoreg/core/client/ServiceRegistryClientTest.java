package io.autoreg.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.core.client.model.ConfigurationValue;
import io.autoreg.core.client.model.Event;
import io.autoreg.core.client.model.Limits;
import io.autoreg.core.client.model.Page;
import io.autoreg.core.client.model.Service;
import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.core.client.model.ServiceUpdate;
import io.autoreg.core.client.model.Session;
import io.autoreg.core.client.model.SessionCreate;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire protocol of every call: method, path, query, headers and body, and how answers are read. */
class ServiceRegistryClientTest {

    static final ObjectMapper JSON = new ObjectMapper();
    private final MockWebServer server = new MockWebServer();
    private ServiceRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        client = ServiceRegistryClient.builder()
                .url(server.url("/v1.0/7777").toString())
                .token("tok")
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
    }

    static MockResponse json(int code, String body) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json; charset=UTF-8")
                .setBody(body);
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(2, TimeUnit.SECONDS);
        assertNotNull(r, "a request was expected");
        return r;
    }

    private static void assertJson(String expected, RecordedRequest request) throws IOException {
        assertEquals(JSON.readTree(expected), JSON.readTree(request.getBody().readUtf8()));
        assertTrue(request.getHeader("Content-Type").startsWith("application/json"), request.getHeader("Content-Type"));
    }

    // ---- services ----

    @Test
    void createServicePostsTheServiceAndReturnsTokenAndLocation() throws Exception {
        server.enqueue(json(201, "{\"token\":\"t0\"}").setHeader("Location", "http://x/v1.0/7777/services/dfw1-db1"));
        CreatedService created = client.services()
                .create(ServiceCreate.withHeartbeat("dfw1-db1", 30, List.of("db"), Map.of("region", "dfw")));
        assertEquals(new CreatedService("dfw1-db1", "t0", "http://x/v1.0/7777/services/dfw1-db1"), created);
        RecordedRequest r = take();
        assertEquals("POST /v1.0/7777/services", r.getMethod() + " " + r.getPath());
        assertEquals("tok", r.getHeader("X-Auth-Token"));
        assertJson(
                "{\"id\":\"dfw1-db1\",\"heartbeat_timeout\":30,\"tags\":[\"db\"],\"metadata\":{\"region\":\"dfw\"}}",
                r);
    }

    /**
     * A POST is never replayed after a failure (its body is one-shot, docs/api.md §8), but a 307/308 means the server
     * applied nothing: it is followed with the same body, and the token goes along to the same origin only.
     */
    @Test
    void aPostRedirectedWith307Or308IsFollowedWithItsBodyAndTheTokenStaysWithItsOrigin() throws Exception {
        try (MockWebServer elsewhere = new MockWebServer()) {
            elsewhere.start(InetAddress.getLoopbackAddress(), 0);
            server.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", "/v2/7777/services"));
            server.enqueue(new MockResponse()
                    .setResponseCode(308)
                    .setHeader("Location", elsewhere.url("/v3/services").toString()));
            elsewhere.enqueue(json(201, "{\"token\":\"t0\"}"));
            CreatedService created =
                    client.services().create(ServiceCreate.withHeartbeat("a-1", 30, List.of(), Map.of()));
            assertEquals("t0", created.token());
            RecordedRequest first = take();
            RecordedRequest second = take();
            RecordedRequest third = elsewhere.takeRequest(2, TimeUnit.SECONDS);
            assertEquals("POST /v2/7777/services", second.getMethod() + " " + second.getPath());
            assertEquals("tok", second.getHeader("X-Auth-Token"), "same origin");
            assertEquals("POST /v3/services", third.getMethod() + " " + third.getPath());
            assertNull(third.getHeader("X-Auth-Token"), "another origin gets no credentials");
            for (RecordedRequest r : List.of(first, second, third)) {
                assertJson("{\"id\":\"a-1\",\"heartbeat_timeout\":30,\"tags\":[],\"metadata\":{}}", r);
            }
        }
    }

    @Test
    void aServiceInASessionIsCreatedWithSessionIdAndNoToken() throws Exception {
        server.enqueue(json(201, "{}"));
        CreatedService created =
                client.services().create(ServiceCreate.inSession("dfw1-db1", "seABCDEFGH", List.of(), Map.of()));
        assertNull(created.token());
        assertJson("{\"id\":\"dfw1-db1\",\"session_id\":\"seABCDEFGH\",\"tags\":[],\"metadata\":{}}", take());
    }

    @Test
    void listServicesSendsTagMarkerAndLimitAndReadsTheEnvelope() throws Exception {
        server.enqueue(json(
                200,
                "{\"values\":[{\"id\":\"dfw1-db1\",\"heartbeat_timeout\":30,\"tags\":[\"db\"],"
                        + "\"metadata\":{},\"last_seen\":null},{\"id\":\"dfw1-db2\",\"session_id\":\"seX\",\"tags\":[],"
                        + "\"metadata\":{\"a\":\"b\"},\"last_seen\":1700000000000}],"
                        + "\"metadata\":{\"count\":2,\"limit\":2,\"marker\":\"dfw1-db1\",\"next_marker\":\"dfw1-db3\","
                        + "\"next_href\":\"http://h/v1.0/7777/services?limit=2&marker=dfw1-db3\"}}"));
        Page<Service> page = client.services().list("db", "dfw1-db1", 2);
        RecordedRequest r = take();
        assertEquals("GET", r.getMethod());
        assertEquals("/v1.0/7777/services", r.getRequestUrl().encodedPath());
        assertEquals("db", r.getRequestUrl().queryParameter("tag"));
        assertEquals("dfw1-db1", r.getRequestUrl().queryParameter("marker"));
        assertEquals("2", r.getRequestUrl().queryParameter("limit"));
        assertEquals(2, page.values().size());
        assertEquals(
                new Service("dfw1-db1", 30, null, List.of("db"), Map.of(), null),
                page.values().get(0));
        assertEquals(
                new Service("dfw1-db2", null, "seX", List.of(), Map.of("a", "b"), 1700000000000L),
                page.values().get(1));
        assertTrue(page.hasNext());
        assertEquals("dfw1-db3", page.metadata().nextMarker());
        assertEquals("dfw1-db1", page.metadata().marker());
    }

    @Test
    void getUpdateHeartbeatAndDeleteAService() throws Exception {
        server.enqueue(json(
                200,
                "{\"id\":\"a-1\",\"heartbeat_timeout\":10,\"tags\":[],\"metadata\":{},\"last_seen\":5,\"extra\":1}"));
        server.enqueue(
                new MockResponse().setResponseCode(204).setHeader("Location", "http://x/v1.0/7777/services/a-1"));
        server.enqueue(json(200, "{\"token\":\"t2\"}"));
        server.enqueue(new MockResponse().setResponseCode(204));
        assertEquals(
                new Service("a-1", 10, null, List.of(), Map.of(), 5L),
                client.services().get("a-1"));
        client.services().update("a-1", new ServiceUpdate(List.of("x"), null, 20));
        assertEquals("t2", client.services().heartbeat("a-1", "t1"));
        client.services().delete("a-1");
        assertEquals("GET /v1.0/7777/services/a-1", line(take()));
        RecordedRequest put = take();
        assertEquals("PUT /v1.0/7777/services/a-1", line(put));
        assertJson("{\"tags\":[\"x\"],\"heartbeat_timeout\":20}", put);
        RecordedRequest beat = take();
        assertEquals("POST /v1.0/7777/services/a-1/heartbeat", line(beat));
        assertJson("{\"token\":\"t1\"}", beat);
        assertEquals("DELETE /v1.0/7777/services/a-1", line(take()));
    }

    @Test
    void idsArePercentEncodedAsOnePathSegment() throws Exception {
        server.enqueue(json(
                404, "{\"type\":\"notFoundError\",\"code\":404,\"message\":\"m\",\"details\":\"d\",\"txnId\":\"t\"}"));
        assertThrows(NotFoundException.class, () -> client.services().get("a/b c"));
        assertEquals("/v1.0/7777/services/a%2Fb%20c", take().getPath());
    }

    // ---- sessions ----

    @Test
    void sessionsCreateListGetUpdateHeartbeatDelete() throws Exception {
        server.enqueue(json(201, "{\"token\":\"s0\"}").setHeader("Location", "http://x/v1.0/7777/sessions/seAbCd1234"));
        server.enqueue(
                json(
                        200,
                        "{\"values\":[{\"id\":\"seAbCd1234\",\"heartbeat_timeout\":30,\"metadata\":{},\"last_seen\":null}],"
                                + "\"metadata\":{\"count\":1,\"limit\":100,\"marker\":null,\"next_marker\":null,\"next_href\":null}}"));
        server.enqueue(json(
                200, "{\"id\":\"seAbCd1234\",\"heartbeat_timeout\":30,\"metadata\":{\"r\":\"dfw\"},\"last_seen\":7}"));
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(json(200, "{\"token\":\"s1\"}"));
        server.enqueue(new MockResponse().setResponseCode(204));

        CreatedSession created = client.sessions().create(new SessionCreate(30, Map.of("r", "dfw")));
        assertEquals("seAbCd1234", created.id());
        assertEquals("s0", created.token());
        Page<Session> page = client.sessions().list(null, null);
        assertFalse(page.hasNext());
        assertEquals("seAbCd1234", page.values().get(0).id());
        assertEquals(
                new Session("seAbCd1234", 30, Map.of("r", "dfw"), 7L),
                client.sessions().get("seAbCd1234"));
        client.sessions().update("seAbCd1234", new SessionCreate(60, null));
        assertEquals("s1", client.sessions().heartbeat("seAbCd1234", "s0"));
        client.sessions().delete("seAbCd1234");

        RecordedRequest create = take();
        assertEquals("POST /v1.0/7777/sessions", line(create));
        assertJson("{\"heartbeat_timeout\":30,\"metadata\":{\"r\":\"dfw\"}}", create);
        assertEquals("GET /v1.0/7777/sessions", line(take()));
        assertEquals("GET /v1.0/7777/sessions/seAbCd1234", line(take()));
        RecordedRequest update = take();
        assertEquals("PUT /v1.0/7777/sessions/seAbCd1234", line(update));
        assertJson("{\"heartbeat_timeout\":60}", update);
        RecordedRequest beat = take();
        assertEquals("POST /v1.0/7777/sessions/seAbCd1234/heartbeat", line(beat));
        assertJson("{\"token\":\"s0\"}", beat);
        assertEquals("DELETE /v1.0/7777/sessions/seAbCd1234", line(take()));
    }

    // ---- configuration ----

    @Test
    void namespacedConfigurationIdsMapToPathSegments() throws Exception {
        server.enqueue(json(200, "{\"id\":\"/production/cassandra/listen_ip\",\"value\":\"10.0.0.1\"}"));
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(
                json(
                        200,
                        "{\"values\":[{\"id\":\"/production/cassandra/listen_ip\",\"value\":\"10.0.0.1\"}],"
                                + "\"metadata\":{\"count\":1,\"limit\":100,\"marker\":null,\"next_marker\":null,\"next_href\":null}}"));
        server.enqueue(
                json(
                        200,
                        "{\"values\":[],\"metadata\":{\"count\":0,\"limit\":5,\"marker\":\"k\",\"next_marker\":null,\"next_href\":null}}"));

        assertEquals(
                new ConfigurationValue("/production/cassandra/listen_ip", "10.0.0.1"),
                client.configuration().get("/production/cassandra/listen_ip"));
        client.configuration().set("/production/cassandra/listen_ip", "10.0.0.2");
        client.configuration().delete("cassandra_listen_ip");
        assertEquals(
                1,
                client.configuration()
                        .listNamespace("/production/cassandra", null, null)
                        .values()
                        .size());
        assertTrue(client.configuration().list("k", 5).values().isEmpty());

        assertEquals("GET /v1.0/7777/configuration/production/cassandra/listen_ip", line(take()));
        RecordedRequest put = take();
        assertEquals("PUT /v1.0/7777/configuration/production/cassandra/listen_ip", line(put));
        assertJson("{\"value\":\"10.0.0.2\"}", put);
        assertEquals("DELETE /v1.0/7777/configuration/cassandra_listen_ip", line(take()));
        assertEquals(
                "GET /v1.0/7777/configuration/production/cassandra/",
                line(take()),
                "a namespace listing ends with a slash");
        assertEquals("GET /v1.0/7777/configuration?marker=k&limit=5", line(take()));
    }

    // ---- events, limits ----

    @Test
    void eventsAreListedWithMarkerTypeAndWait() throws Exception {
        String events = "{\"values\":[{\"id\":\"e1\",\"timestamp\":1000,\"type\":\"service.join\",\"payload\":"
                + "{\"id\":\"a-1\",\"heartbeat_timeout\":30,\"tags\":[],\"metadata\":{}}}],"
                + "\"metadata\":{\"count\":1,\"limit\":100,\"marker\":\"e1\",\"next_marker\":null,\"next_href\":null}}";
        server.enqueue(json(200, events));
        server.enqueue(json(200, events));
        Page<Event> page = client.events().list("e1", 10, Event.SERVICE_JOIN);
        assertEquals("service.join", page.values().get(0).type());
        assertEquals("a-1", page.values().get(0).payload().path("id").asText());
        client.events().list("e1", null, null, 30);
        assertEquals("GET /v1.0/7777/events?marker=e1&limit=10&type=service.join", line(take()));
        assertEquals("GET /v1.0/7777/events?marker=e1&wait=30", line(take()));
    }

    @Test
    void limitsAreRead() throws Exception {
        server.enqueue(json(
                200,
                "{\"resource\":{\"service\":200,\"session\":100,\"configuration_value\":1000},"
                        + "\"rate\":{\"/.*\":{\"limit\":500000,\"used\":17,\"window\":\"24.0 hours\"}}}"));
        Limits limits = client.limits();
        assertEquals(200, limits.resource().get("service"));
        assertEquals(new Limits.Rate(500000, 17, "24.0 hours"), limits.rate().get("/.*"));
        assertEquals("GET /v1.0/7777/limits", line(take()));
    }

    // ---- faults ----

    @Test
    void faultsBecomeTypedExceptionsCarryingTheBody() {
        server.enqueue(
                json(
                        404,
                        "{\"type\":\"notFoundError\",\"code\":404,\"message\":\"Object does not exist\","
                                + "\"details\":\"Object \\\"Service\\\" with key \\\"x-1\\\" does not exist\",\"txnId\":\"r-1\"}"));
        server.enqueue(
                json(
                        400,
                        "{\"type\":\"serviceWithThisIdExists\",\"code\":400,\"message\":\"m\",\"details\":\"d\",\"txnId\":\"r-2\"}"));
        server.enqueue(
                json(
                        400,
                        "{\"type\":\"invalidLimit\",\"code\":400,\"message\":\"Limit must be a number\",\"details\":\"d\",\"txnId\":\"r-3\"}"));
        server.enqueue(json(
                403,
                "{\"type\":\"forbiddenError\",\"code\":403,\"message\":\"m\",\"details\":\"d\",\"txnId\":\"r-4\"}"));
        server.enqueue(
                json(
                        413,
                        "{\"type\":\"requestTooLargeError\",\"code\":413,\"message\":\"m\",\"details\":\"d\",\"txnId\":\"r-5\"}"));
        server.enqueue(new MockResponse()
                .setResponseCode(502)
                .setHeader("X-Response-Id", "r-6")
                .setBody("<html>Bad gateway</html>"));

        NotFoundException nf =
                assertThrows(NotFoundException.class, () -> client.services().get("x-1"));
        assertEquals("notFoundError", nf.type());
        assertEquals("Object \"Service\" with key \"x-1\" does not exist", nf.details());
        assertEquals("r-1", nf.txnId());
        assertEquals(404, nf.status());
        assertFalse(nf.isTransient());
        assertEquals(
                "get service x-1 failed: HTTP 404 notFoundError: Object does not exist "
                        + "(Object \"Service\" with key \"x-1\" does not exist) [txnId r-1]",
                nf.getMessage());
        assertThrows(
                ServiceExistsException.class,
                () -> client.services().create(ServiceCreate.withHeartbeat("x-1", 30, List.of(), Map.of())));
        BadRequestException bad =
                assertThrows(BadRequestException.class, () -> client.services().list(null, null, 0));
        assertEquals("invalidLimit", bad.type());
        assertThrows(ForbiddenException.class, () -> client.limits());
        assertThrows(
                RequestTooLargeException.class, () -> client.configuration().set("k-1", "x".repeat(6000)));
        ServerErrorException server5xx = assertThrows(ServerErrorException.class, () -> client.limits());
        assertTrue(server5xx.isTransient());
        assertNull(server5xx.type(), "a proxy's HTML page has no fault type");
        assertEquals("r-6", server5xx.txnId(), "the txnId falls back to X-Response-Id");
    }

    @Test
    void everyCallReusesOnePersistentConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.enqueue(json(200, "{\"token\":\"t" + (i + 1) + "\"}"));
        }
        String token = "t0";
        for (int i = 0; i < 5; i++) {
            token = client.services().heartbeat("a-1", token);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(i, take().getSequenceNumber(), "request " + i + " on the same connection");
        }
        assertEquals("t5", token);
    }

    static String line(RecordedRequest r) {
        return r.getMethod() + " " + r.getPath();
    }
}
