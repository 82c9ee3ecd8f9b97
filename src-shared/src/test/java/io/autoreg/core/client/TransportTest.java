package io.autoreg.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What OkHttp does by itself that a registry client must not: replay a POST whose pooled connection failed after the
 * request went out (docs/api.md §8). Checked on a warm connection, where OkHttp replays any request it may.
 */
class TransportTest {

    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient http = new OkHttpClient();
    private Transport transport;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        transport = new Transport(http, server.url("/v1.0/7777"), Authenticator.none());
    }

    @AfterEach
    void stop() throws IOException {
        http.connectionPool().evictAll();
        server.shutdown();
    }

    @Test
    void aPostWithABodyIsNotReplayedWhenItsAnswerIsLost() throws Exception {
        assertSentOnceOnAWarmConnectionThatFails(Map.of("id", "a-1"));
    }

    @Test
    void aPostWithoutABodyIsNotReplayedEither() throws Exception {
        assertSentOnceOnAWarmConnectionThatFails(null);
    }

    private void assertSentOnceOnAWarmConnectionThatFails(Object body) throws Exception {
        server.enqueue(new MockResponse().setBody("{}")); // the GET that warms the pooled connection
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(new MockResponse().setResponseCode(201).setBody("{}")); // what a replay would get
        transport.exchange("warm", "GET", transport.url("limits").build(), null, Transport.type(Map.class));
        assertThrows(
                IOException.class,
                () -> transport.exchange(
                        "create", "POST", transport.url("services").build(), body, Transport.type(Map.class)),
                "the lost answer reaches the caller");
        assertEquals("GET /v1.0/7777/limits", line(server.takeRequest()));
        assertEquals("POST /v1.0/7777/services", line(server.takeRequest()));
        assertEquals(2, server.getRequestCount(), "sent once, never replayed");
    }

    private static String line(RecordedRequest request) {
        return request.getMethod() + " " + request.getPath();
    }
}
