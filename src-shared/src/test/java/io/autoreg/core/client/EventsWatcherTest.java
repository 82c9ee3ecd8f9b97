package io.autoreg.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.model.Event;
import io.autoreg.core.internal.log.Log;
import io.autoreg.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watcher against a scripted feed that follows docs/api.md §4: inclusive markers, pages of {@code limit},
 * and a {@code wait=} that holds the request until a newer event exists.
 */
class EventsWatcherTest {

    private final MockWebServer server = new MockWebServer();
    private final Feed feed = new Feed();
    private ServiceRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        Log.sink(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        server.setDispatcher(feed);
        server.start(InetAddress.getLoopbackAddress(), 0);
        client = ServiceRegistryClient.builder()
                .url(server.url("/v1.0/7777").toString())
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
        Log.sink(null);
    }

    /** A feed of events e0001, e0002, … (ids sort by time, like the registry's time-ordered ids). */
    static final class Feed extends Dispatcher {
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        final List<HttpUrl> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger failNext = new AtomicInteger();
        private boolean closed;

        /** Ends held long polls, so the server can stop. */
        @Override
        public synchronized void shutdown() {
            closed = true;
            notifyAll();
        }

        synchronized void add(int n) {
            for (int i = 0; i < n; i++) {
                ids.add(String.format("e%04d", ids.size() + 1));
            }
            notifyAll();
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            HttpUrl url = request.getRequestUrl();
            requests.add(url);
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return new MockResponse()
                        .setResponseCode(503)
                        .setBody("{\"type\":\"systemFailureError\",\"code\":503}");
            }
            String marker = url.queryParameter("marker");
            int limit = url.queryParameter("limit") == null ? 100 : Integer.parseInt(url.queryParameter("limit"));
            String wait = url.queryParameter("wait");
            List<String> page;
            synchronized (this) {
                if (wait != null) {
                    long deadline = System.nanoTime()
                            + Duration.ofSeconds(Integer.parseInt(wait)).toNanos();
                    while (!closed && !hasNewer(marker) && System.nanoTime() < deadline) {
                        wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    }
                }
                int from = 0;
                if (marker != null) {
                    from = ids.size();
                    for (int i = 0; i < ids.size(); i++) {
                        if (ids.get(i).compareTo(marker) >= 0) {
                            from = i;
                            break;
                        }
                    }
                }
                page = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + limit)));
                String next = from + limit < ids.size() ? ids.get(from + limit) : null;
                StringBuilder values = new StringBuilder();
                for (String id : page) {
                    values.append(values.length() == 0 ? "" : ",")
                            .append("{\"id\":\"")
                            .append(id)
                            .append("\",\"timestamp\":1,\"type\":\"service.join\",\"payload\":{\"id\":\"s-")
                            .append(id)
                            .append("\"}}");
                }
                return new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody("{\"values\":[" + values
                                + "],\"metadata\":{\"count\":" + page.size() + ",\"limit\":" + limit + ",\"marker\":"
                                + (marker == null ? "null" : "\"" + marker + "\"") + ",\"next_marker\":"
                                + (next == null ? "null" : "\"" + next + "\"") + ",\"next_href\":null}}");
            }
        }

        private boolean hasNewer(String marker) {
            return !ids.isEmpty() && (marker == null || ids.get(ids.size() - 1).compareTo(marker) > 0);
        }
    }

    private static List<String> expected(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(String.format("e%04d", i));
        }
        return out;
    }

    @Test
    void everyEventIsDeliveredOnceInOrderAcrossPagesAndLongPolls() {
        feed.add(250);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (EventsWatcher watcher = client.events().watch(null, null, e -> seen.add(e.id()))) {
            Await.until(Duration.ofSeconds(5), () -> seen.size() == 250 && watcher.isCaughtUp(), "the backlog");
            feed.add(3);
            Await.until(Duration.ofSeconds(5), () -> seen.size() == 253, "new events through the long poll");
            assertEquals(expected(1, 253), seen);
            assertEquals("e0253", watcher.marker());
        }
        HttpUrl second = feed.requests.get(1);
        assertEquals("e0100", second.queryParameter("marker"), "the marker is the last event delivered");
        assertTrue(
                feed.requests.stream().anyMatch(u -> "30".equals(u.queryParameter("wait"))),
                "long-polls once caught up");
        assertTrue(
                feed.requests.stream().limit(3).noneMatch(u -> u.queryParameter("wait") != null),
                "pages the backlog without waiting");
    }

    @Test
    void watchingFromAMarkerSkipsTheMarkerItself() {
        feed.add(5);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (EventsWatcher watcher = client.events().watch("e0003", null, e -> seen.add(e.id()))) {
            Await.until(Duration.ofSeconds(5), watcher::isCaughtUp);
            assertEquals(expected(4, 5), seen);
        }
    }

    @Test
    void watchingFromNowDeliversOnlyNewEvents() {
        feed.add(1500);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (EventsWatcher watcher = client.events().watchFromNow(Event.SERVICE_JOIN, e -> seen.add(e.id()))) {
            Await.until(
                    Duration.ofSeconds(5), () -> "e1500".equals(watcher.marker()) && watcher.isCaughtUp(), "the start");
            feed.add(2);
            Await.until(Duration.ofSeconds(5), () -> seen.size() == 2);
            assertEquals(expected(1501, 1502), seen);
        }
        assertTrue(feed.requests.stream().allMatch(u -> "service.join".equals(u.queryParameter("type"))));
    }

    @Test
    void failuresAreRetriedAndAThrowingListenerDoesNotStopIt() {
        feed.add(2);
        feed.failNext.set(3);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (EventsWatcher watcher = client.events().watch(null, null, e -> {
            seen.add(e.id());
            throw new IllegalStateException("listener bug");
        })) {
            Await.until(Duration.ofSeconds(5), () -> seen.size() == 2);
            feed.add(1);
            Await.until(Duration.ofSeconds(5), () -> seen.size() == 3);
            // The count is raised after the listener returns (or throws): wait for it rather than race it.
            Await.until(Duration.ofSeconds(5), () -> watcher.deliveredCount() == 3, "the third delivery counted");
            assertEquals(3, watcher.deliveredCount());
        }
    }

    @Test
    void closeEndsAPendingLongPollPromptly() {
        List<String> seen = new CopyOnWriteArrayList<>();
        EventsWatcher watcher = client.events().watch(null, null, e -> seen.add(e.id()));
        Await.until(Duration.ofSeconds(5), watcher::isCaughtUp);
        Await.until(
                Duration.ofSeconds(5),
                () -> feed.requests.stream().anyMatch(u -> u.queryParameter("wait") != null),
                "a long poll");
        long start = System.nanoTime();
        watcher.close();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < 2000, "close took " + tookMillis + " ms");
        assertFalse(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().startsWith(EventsWatcher.THREAD_PREFIX) && t.isAlive()),
                "the thread ended");
        assertTrue(seen.isEmpty());
    }
}
