package io.autoreg.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.RegistryServer;
import io.autoreg.testing.Http;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events feed over HTTP on a real registry: many parked long polls all get the one event; the
 * server-sent-events form delivers id/data frames and resumes after Last-Event-ID (docs/api.md §4).
 */
class EventFeedHttpTest {
    @TempDir
    static Path data;

    static RegistryServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(data)
                .config("autoreg.server.rate-limit { reads = 1000000, writes = 1000000, window = 1h }")
                .build()
                .start();
        http = new Http(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void create(String tenant, String id) {
        var created = http.post("/v1.0/" + tenant + "/services", "{\"id\":\"" + id + "\",\"heartbeat_timeout\":60}");
        assertEquals(201, created.status(), created.raw().body());
    }

    private static String lastEventId(String tenant) {
        var page = http.get("/v1.0/" + tenant + "/events?limit=1000").json().get("values");
        return page.get(page.size() - 1).get("id").asText();
    }

    @Test
    void hundredsOfParkedLongPollsAllGetTheOneEvent() throws Exception {
        create("polls", "seed");
        String marker = lastEventId("polls");
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            polls.add(longPoll(client, "/v1.0/polls/events?wait=30&marker=" + marker));
        }
        // Polls that arrive after the event are answered at once from their marker: the same page either way.
        create("polls", "joined");
        Set<String> responseIds = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> poll : polls) {
            HttpResponse<String> answer = poll.get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode());
            // a parked exchange drops the id it was given on arrival and is given one as it is answered
            responseIds.add(answer.headers().firstValue("X-Response-Id").orElseThrow());
            assertTrue(
                    answer.body().contains("\"type\":\"service.join\",\"payload\":{\"id\":\"joined\""), answer.body());
            // The marker is inclusive in a page (docs/api.md §4): the seed's event, then the join.
            assertTrue(answer.body().contains("\"count\":2,"), answer.body());
        }
        assertEquals(polls.size(), responseIds.size(), "one response id per answer");
    }

    @Test
    void aParkedPollIsAnsweredByItsOwnQuery() throws Exception {
        create("filtered", "seed");
        create("filtered", "leaving");
        String marker = lastEventId("filtered");
        CompletableFuture<HttpResponse<String>> poll = longPoll(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                "/v1.0/filtered/events?wait=30&type=service.remove&limit=5&marker=" + marker);
        create("filtered", "joining"); // not of the type: a parked poll stays parked, a later one skips it
        assertEquals(204, http.delete("/v1.0/filtered/services/leaving").status());
        HttpResponse<String> answer = poll.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode());
        // Parking drops Undertow's parsed copy of the query; the answer still follows the poll's own type and limit.
        var page = Http.mapper().readTree(answer.body());
        assertEquals(1, page.get("values").size(), answer.body());
        assertEquals("service.remove", page.get("values").get(0).get("type").asText());
        assertEquals(
                "leaving", page.get("values").get(0).get("payload").get("id").asText());
        assertEquals(5, page.get("metadata").get("limit").asInt());
    }

    /** A long poll sent and not awaited: its answer comes with the next event (or its wait's end). */
    private static CompletableFuture<HttpResponse<String>> longPoll(HttpClient client, String pathAndQuery) {
        return client.sendAsync(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
                        .timeout(Duration.ofSeconds(40))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A raw SSE client: the response head, then frames (blank-line separated) read with a bounded timeout. */
    private static final class SseClient implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final String head;

        SseClient(String tenant, String marker, String lastEventId) throws IOException {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1.0/" + tenant + "/events" + (marker == null ? "" : "?marker=" + marker) + " HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                            + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder h = new StringBuilder();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                h.append(line).append('\n');
            }
            head = h.toString();
        }

        /** The next event frame's id and data lines (chunk-size lines and comments skipped). */
        String[] nextEvent() throws IOException {
            String id = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ") && id != null) {
                    return new String[] {id, line.substring(6)};
                }
            }
            throw new IOException("stream ended");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void theStreamWritesEachEventAsIdAndDataAndResumesAfterLastEventId() throws Exception {
        create("sse", "before");
        String marker = lastEventId("sse");
        String joinId;
        try (SseClient stream = new SseClient("sse", marker, null)) {
            assertTrue(stream.head.startsWith("HTTP/1.1 200"), stream.head);
            assertTrue(stream.head.toLowerCase().contains("content-type: text/event-stream"), stream.head);
            create("sse", "svc-a");
            String[] join = stream.nextEvent();
            assertTrue(join[1].startsWith("{\"id\":\"" + join[0] + "\""), join[1]);
            assertTrue(join[1].contains("\"type\":\"service.join\",\"payload\":{\"id\":\"svc-a\""), join[1]);
            joinId = join[0];
        }
        // While nobody listens: a removal. The resumed stream starts right after the last event it saw.
        assertEquals(204, http.delete("/v1.0/sse/services/svc-a").status());
        try (SseClient resumed = new SseClient("sse", marker, joinId)) {
            String[] next = resumed.nextEvent();
            assertTrue(next[1].contains("\"type\":\"service.remove\",\"payload\":{\"id\":\"svc-a\""), next[1]);
        }
    }

    @Test
    void manyStreamsGetTheSameEventAndABadLastEventIdIsRefused() throws Exception {
        create("many", "seed");
        List<SseClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                streams.add(new SseClient("many", null, null)); // no marker: only what happens from now on
            }
            create("many", "svc-x");
            for (SseClient stream : streams) {
                assertTrue(stream.nextEvent()[1].contains("\"payload\":{\"id\":\"svc-x\""));
            }
        } finally {
            for (SseClient stream : streams) {
                stream.close();
            }
        }
        try (SseClient bad = new SseClient("many", null, "not-an-id")) {
            assertTrue(bad.head.startsWith("HTTP/1.1 400"), bad.head);
        }
    }
}
