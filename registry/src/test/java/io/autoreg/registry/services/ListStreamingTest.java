package io.autoreg.registry.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.registry.RegistryServer;
import io.autoreg.testing.Http;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * List pages are streamed from the cache through pooled buffers with the live last_seen spliced in: the
 * bytes must be exactly a page that agrees with GET by id, for pages far larger than one buffer, with
 * non-ASCII text, for a reader too slow to take the page at once, and the cache must stay within its bound.
 */
class ListStreamingTest {
    private static final int SERVICES = 400;

    @TempDir
    static Path data;

    static RegistryServer server;
    static Http http;
    static final Map<String, String> tokens = new HashMap<>();

    @BeforeAll
    static void start() {
        server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .config("autoreg.server.quotas.service = 1000")
                .build()
                .start();
        http = new Http(server.baseUrl());
        String padding = "v".repeat(200);
        for (int i = 0; i < SERVICES; i++) {
            String id = String.format("svc-%04d", i);
            var created = http.post(
                    "/v1.0/big/services",
                    "{\"id\":\"" + id + "\",\"heartbeat_timeout\":120,"
                            + "\"tags\":[\"zürich\"],\"metadata\":{\"pad\":\"" + padding + "\",\"n\":\"" + i + "\"}}");
            assertEquals(201, created.status());
            tokens.put(id, created.json().get("token").asText());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aCachedPageShowsTheLastSeenOfEveryHeartbeatSinceItWasRendered() {
        var first = http.get("/v1.0/big/services?limit=1000");
        assertEquals(200, first.status());
        assertEquals(SERVICES, first.json().at("/metadata/count").asInt());
        assertTrue(first.raw().body().getBytes(StandardCharsets.UTF_8).length > 10 * 8192, "spans many pooled buffers");
        for (JsonNode item : first.json().get("values")) {
            assertTrue(item.get("last_seen").isNull());
        }
        // Heartbeat every third service after the page was cached: the next hit must show each new value.
        for (int i = 0; i < SERVICES; i += 3) {
            String id = String.format("svc-%04d", i);
            assertEquals(
                    200,
                    http.post("/v1.0/big/services/" + id + "/heartbeat", "{\"token\":\"" + tokens.get(id) + "\"}")
                            .status());
        }
        var second = http.get("/v1.0/big/services?limit=1000");
        assertEquals(
                second.raw().body().getBytes(StandardCharsets.UTF_8).length,
                Integer.parseInt(second.header("Content-Length")));
        int i = 0;
        for (JsonNode item : second.json().get("values")) {
            JsonNode byId =
                    http.get("/v1.0/big/services/" + item.get("id").asText()).json();
            assertEquals(byId, item, "list and GET by id agree for " + item.get("id"));
            assertEquals(i % 3 == 0, item.get("last_seen").isNumber(), item.toString());
            assertEquals("zürich", item.at("/tags/0").asText());
            i++;
        }
    }

    @Test
    void aSlowReaderGetsTheWholePageAndTheServerKeepsServing() throws Exception {
        String expected = http.get("/v1.0/big/services?limit=1000").raw().body();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.setSoTimeout(20_000);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            socket.getOutputStream()
                    .write(("GET /v1.0/big/services?limit=1000 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            // Not reading yet: the server fills the socket and must wait for it to drain, holding one buffer.
            assertEquals(200, http.get("/healthz").status(), "other requests are served meanwhile");
            InputStream in = socket.getInputStream();
            int length = -1;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            assertEquals(expected.getBytes(StandardCharsets.UTF_8).length, length);
            assertEquals(expected, body);
        }
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("connection closed in the headers");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Test
    void valuesAreWrittenInDecimalOrAsNull() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        for (long value : new long[] {-1, 0, 7, 10, 1_795_316_817_693L, Long.MAX_VALUE}) {
            buffer.clear();
            PageResponse.putValue(buffer, value);
            String written = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
            assertEquals(value < 0 ? "null" : Long.toString(value), written);
            assertEquals(written.length(), PageResponse.valueLength(value));
        }
    }

    @Test
    void theCacheKeepsItsBytesWithinTheBoundAndSkipsOversizePages() {
        ListCache cache = new ListCache();
        int pageBytes = 300 * 1024;
        for (int i = 0; i < 100; i++) {
            cache.put(
                    "page-" + i,
                    new ListCache.Page(1, Long.MAX_VALUE, new byte[pageBytes], new int[0], new Service[0]));
            assertTrue(cache.bytes() <= ListCache.MAX_BYTES, "bytes " + cache.bytes());
        }
        ListCache.Page kept = cache.get("page-99", 1, 0);
        assertSame(kept, cache.get("page-99", 1, 0));
        assertNull(cache.get("page-99", 2, 0), "a newer version is a miss");
        assertNull(cache.get("page-99", 1, Long.MAX_VALUE), "a page whose first deadline passed is a miss");
        cache.put(
                "huge",
                new ListCache.Page(
                        1, Long.MAX_VALUE, new byte[ListCache.MAX_PAGE_BYTES + 1], new int[0], new Service[0]));
        assertNull(cache.get("huge", 1, 0));
    }
}
