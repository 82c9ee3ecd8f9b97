package io.autoreg.core.client;

import static io.autoreg.core.client.ServiceRegistryClientTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.model.Service;
import io.autoreg.core.testing.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docs/api.md §8: the last good {@code GET /services} answer is served, marked stale, while the registry is down. */
class StaleServiceListTest {

    private final MockWebServer server = new MockWebServer();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private ServiceRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        client = ServiceRegistryClient.builder()
                .url(server.url("/v1.0/7777").toString())
                .clock(clock)
                .timeouts(Duration.ofMillis(500), Duration.ofSeconds(2))
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
    }

    private static String page(String nextMarker, String... ids) {
        StringBuilder values = new StringBuilder();
        for (String id : ids) {
            values.append(values.length() == 0 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(id)
                    .append("\",\"heartbeat_timeout\":30,\"tags\":[],\"metadata\":{},\"last_seen\":null}");
        }
        return "{\"values\":[" + values + "],\"metadata\":{\"count\":" + ids.length + ",\"limit\":1000,\"marker\":null,"
                + "\"next_marker\":" + (nextMarker == null ? "null" : "\"" + nextMarker + "\"")
                + ",\"next_href\":null}}";
    }

    private static List<String> ids(ServiceList list) {
        return list.services().stream().map(Service::id).toList();
    }

    @Test
    void allPagesAreFollowedAndTheAnswerIsFresh() throws Exception {
        server.enqueue(json(200, page("c-1", "a-1", "b-1")));
        server.enqueue(json(200, page(null, "c-1")));
        ServiceList list = client.services().listAll(null);
        assertEquals(List.of("a-1", "b-1", "c-1"), ids(list));
        assertFalse(list.stale());
        assertEquals(clock.instant(), list.fetchedAt());
        assertEquals(
                "/v1.0/7777/services?limit=1000",
                server.takeRequest(1, TimeUnit.SECONDS).getPath());
        assertEquals(
                "/v1.0/7777/services?marker=c-1&limit=1000",
                server.takeRequest(1, TimeUnit.SECONDS).getPath());
    }

    @Test
    void aFailingRegistryGetsTheLastGoodAnswerMarkedStale() throws Exception {
        server.enqueue(json(200, page(null, "a-1", "b-1")));
        Instant fetched = clock.instant();
        assertFalse(client.services().listAll(null).stale());
        clock.advance(Duration.ofMinutes(1));
        server.enqueue(
                json(
                        503,
                        "{\"type\":\"systemFailureError\",\"code\":503,\"message\":\"Internal Error\",\"details\":\"Internal Error\",\"txnId\":\"x\"}"));
        ServiceList stale = client.services().listAll(null);
        assertTrue(stale.stale());
        assertEquals(List.of("a-1", "b-1"), ids(stale));
        assertEquals(fetched, stale.fetchedAt(), "says how old it is");

        server.enqueue(json(200, page(null, "b-1")));
        ServiceList fresh = client.services().listAll(null);
        assertFalse(fresh.stale());
        assertEquals(List.of("b-1"), ids(fresh));
    }

    @Test
    void anUnreachableRegistryGetsTheLastGoodAnswerMarkedStale() throws Exception {
        server.enqueue(json(200, page(null, "a-1")));
        client.services().listAll("db");
        server.shutdown();
        ServiceList stale = client.services().listAll("db");
        assertTrue(stale.stale());
        assertEquals(List.of("a-1"), ids(stale));
        assertThrows(
                IOException.class, () -> client.services().listAll("web"), "each tag has its own cache; none for web");
    }

    @Test
    void aRejectedRequestIsNotAnOutageAndIsThrown() throws Exception {
        server.enqueue(json(200, page(null, "a-1")));
        client.services().listAll(null);
        server.enqueue(json(
                403, "{\"type\":\"forbiddenError\",\"code\":403,\"message\":\"m\",\"details\":\"d\",\"txnId\":\"x\"}"));
        assertThrows(ForbiddenException.class, () -> client.services().listAll(null));
    }

    @Test
    void withoutAPreviousAnswerTheFailureIsThrown() {
        server.enqueue(new MockResponse().setResponseCode(500));
        assertThrows(ServerErrorException.class, () -> client.services().listAll(null));
    }
}
