package io.autoreg.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.model.Event;
import io.autoreg.core.internal.log.Log;
import io.autoreg.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watcher against a scripted feed that follows docs/api.md §4: inclusive markers, pages of {@code limit},
 * and a {@code wait=} that holds the request until a newer event exists.
 */
class EventsWatcherTest {

    private final MockWebServer server = new MockWebServer();
    private final ScriptedEventsFeed feed = new ScriptedEventsFeed();
    private ServiceRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        client = feed.serveOn(server).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
        Log.sink(null);
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
        feed.failNext(3);
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
