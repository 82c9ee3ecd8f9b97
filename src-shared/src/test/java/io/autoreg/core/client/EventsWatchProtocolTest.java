package io.autoreg.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.model.Event;
import io.autoreg.core.internal.log.Log;
import io.autoreg.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ServiceRegistryClient#watch} against a scripted registry that answers as {@code events/EventsRoute}
 * does (docs/api.md §4): inclusive markers, a marker older than the oldest kept event moved up to it, and
 * {@code wait=} holding the request until something newer exists. Each test scripts one protocol rule:
 * markers, {@code Retry-After}, a gap, a 4xx that stops the watcher, a dropped connection, close.
 */
class EventsWatchProtocolTest {

    private final MockWebServer server = new MockWebServer();
    private final ScriptedEventsFeed feed = new ScriptedEventsFeed();
    private ServiceRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        client = feed.serveOn(server).token("t").build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
        Log.sink(null);
        assertNoWatcherThread();
    }

    /** Records everything the watcher says, in order. */
    static final class Recorder implements EventsListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<FeedGap> gaps = new CopyOnWriteArrayList<>();
        final List<String> states = new CopyOnWriteArrayList<>();
        volatile Exception stopCause;

        @Override
        public void onEvent(Event event) {
            events.add(event.id());
        }

        @Override
        public void onGap(FeedGap gap) {
            gaps.add(gap);
        }

        @Override
        public void onState(WatchState state, Exception cause) {
            states.add(state.name());
            if (state == WatchState.STOPPED) {
                stopCause = cause;
            }
        }
    }

    private static List<String> ids(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(String.format("e%04d", i));
        }
        return out;
    }

    private static void assertNoWatcherThread() {
        assertFalse(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().startsWith(EventsWatcher.THREAD_PREFIX) && t.isAlive()),
                "a watcher thread outlived its close");
    }

    private static MockResponse fault(int status, String type) {
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setBody("{\"type\":\"" + type + "\",\"code\":" + status
                        + ",\"message\":\"scripted\",\"details\":\"scripted\"}");
    }

    @Test
    void afterAMarkerEachPollCarriesTheLastDeliveredIdAndDropsItFromTheAnswer() {
        feed.add(5);
        Recorder seen = new Recorder();
        try (EventsWatcher watcher =
                client.watch(WatchOptions.after("e0002").pageSize(2).waitSeconds(5), seen)) {
            Await.until(Duration.ofSeconds(5), () -> seen.events.size() == 3 && watcher.isCaughtUp(), "the backlog");
            feed.add(1);
            Await.until(Duration.ofSeconds(5), () -> seen.events.size() == 4, "the long-polled event");
            assertEquals("e0006", watcher.marker());
        }
        assertEquals(ids(3, 6), seen.events);
        assertEquals(
                List.of("e0002", "e0003", "e0004"),
                feed.requests.stream()
                        .limit(3)
                        .map(u -> u.queryParameter("marker"))
                        .toList(),
                "each page starts at the last event delivered");
        assertTrue(
                feed.requests.stream().limit(2).noneMatch(u -> u.queryParameter("wait") != null),
                "the backlog is paged without waiting");
        assertTrue(feed.requests.stream().anyMatch(u -> "5".equals(u.queryParameter("wait"))), "then long polls");
        assertEquals(List.of("CATCHING_UP", "LIVE", "STOPPED"), seen.states);
        assertTrue(seen.gaps.isEmpty());
    }

    @Test
    void atAMarkerDeliversThatEventToo() {
        feed.add(4);
        Recorder seen = new Recorder();
        try (EventsWatcher watcher = client.watch(WatchOptions.at("e0003"), seen)) {
            Await.until(Duration.ofSeconds(5), watcher::isCaughtUp, "caught up");
            feed.add(1);
            Await.until(Duration.ofSeconds(5), () -> seen.events.size() == 3, "the new event");
        }
        assertEquals(ids(3, 5), seen.events);
    }

    @Test
    void aRetryAfterOn429And503IsHonouredInsteadOfTheBackoff() {
        feed.add(2);
        feed.script.add(fault(429, "rateLimitReached").setHeader("Retry-After", "1"));
        feed.script.add(fault(503, "serviceUnavailable").setHeader("Retry-After", "1"));
        Recorder seen = new Recorder();
        try (EventsWatcher watcher = client.watch(WatchOptions.lastHour(), seen)) {
            Await.until(Duration.ofSeconds(10), () -> seen.events.size() == 2, "the events after two refusals");
            assertEquals(0, watcher.gapCount());
        }
        // The backoff is 10..50 ms here: a pause of a second between the attempts is Retry-After's.
        for (int i = 1; i <= 2; i++) {
            long pauseMillis = (feed.arrivals.get(i) - feed.arrivals.get(i - 1)) / 1_000_000;
            assertTrue(
                    pauseMillis >= 900, "attempt " + (i + 1) + " came " + pauseMillis + " ms after a Retry-After: 1");
        }
        assertEquals(List.of("CATCHING_UP", "RETRYING", "RETRYING", "CATCHING_UP", "LIVE", "STOPPED"), seen.states);
    }

    @Test
    void aGapIsReportedAndTheWatcherResumesFromTheOldestKeptEvent() {
        feed.add(10);
        feed.dropBefore(6);
        Recorder seen = new Recorder();
        try (EventsWatcher watcher = client.watch(WatchOptions.after("e0003"), seen)) {
            Await.until(
                    Duration.ofSeconds(5), () -> watcher.isCaughtUp() && seen.events.size() == 5, "the kept events");
            assertEquals(1, watcher.gapCount());
        }
        assertEquals(List.of(new FeedGap("e0003", "e0006", FeedGap.Policy.RESUME_FROM_OLDEST)), seen.gaps);
        assertEquals(ids(6, 10), seen.events);
    }

    @Test
    void aGapWithSkipToNowDeliversOnlyWhatComesAfterTheNewestEvent() {
        feed.add(10);
        feed.dropBefore(6);
        Recorder seen = new Recorder();
        try (EventsWatcher watcher =
                client.watch(WatchOptions.after("e0003").onGap(FeedGap.Policy.SKIP_TO_NOW), seen)) {
            Await.until(
                    Duration.ofSeconds(5),
                    () -> watcher.isCaughtUp() && "e0010".equals(watcher.marker()),
                    "skipped to now");
            feed.add(2);
            Await.until(Duration.ofSeconds(5), () -> seen.events.size() == 2, "the new events");
        }
        assertEquals(List.of(new FeedGap("e0003", "e0006", FeedGap.Policy.SKIP_TO_NOW)), seen.gaps);
        assertEquals(ids(11, 12), seen.events);
    }

    @Test
    void aMarkerDroppedWhileTheWatcherWaitedIsOneGapAndLaterEventsFlowOn() {
        feed.add(3);
        Recorder seen = new Recorder();
        try (EventsWatcher watcher = client.watch(WatchOptions.lastHour().waitSeconds(1), seen)) {
            Await.until(Duration.ofSeconds(5), () -> watcher.isCaughtUp() && seen.events.size() == 3, "the backlog");
            feed.dropBefore(4); // everything is past the retention now: the wait answers empty, without e0003
            Await.until(Duration.ofSeconds(10), () -> seen.gaps.size() == 1, "the gap");
            feed.add(2);
            Await.until(Duration.ofSeconds(5), () -> seen.events.size() == 5, "the new events");
            Await.until(
                    Duration.ofSeconds(5),
                    () -> feed.requests.stream().anyMatch(u -> "e0005".equals(u.queryParameter("marker"))),
                    "a poll from the newest event");
        }
        assertEquals(List.of(new FeedGap("e0003", null, FeedGap.Policy.RESUME_FROM_OLDEST)), seen.gaps);
        assertEquals(ids(1, 5), seen.events);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404})
    void aClientErrorThatCannotSucceedStopsTheWatcherWithTheAnswer(int status) throws InterruptedException {
        feed.add(1);
        feed.script.add(fault(status, "scripted" + status));
        Recorder seen = new Recorder();
        try (EventsWatcher watcher = client.watch(WatchOptions.lastHour(), seen)) {
            assertTrue(watcher.awaitStop(Duration.ofSeconds(5)), "stopped by itself");
            RegistryApiException failure = assertInstanceOf(RegistryApiException.class, watcher.failure());
            assertEquals(status, failure.status());
            assertTrue(failure.getMessage().contains("scripted" + status), failure.getMessage());
            assertEquals(WatchState.STOPPED, watcher.state());
            assertEquals(failure, seen.stopCause);
            assertEquals(1, feed.requests.size(), "not retried");
            assertNoWatcherThread();
        }
        assertTrue(seen.events.isEmpty());
    }

    @Test
    void aDroppedConnectionIsReconnectedWithoutLosingOrRepeatingAnEvent() {
        feed.add(3);
        Recorder seen = new Recorder();
        try (EventsWatcher watcher = client.watch(WatchOptions.lastHour().waitSeconds(2), seen)) {
            Await.until(Duration.ofSeconds(5), () -> watcher.isCaughtUp() && seen.events.size() == 3, "the backlog");
            int before = feed.requests.size();
            // the next answers: the connection closed after the request is read, then cut inside the body
            feed.script.add(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
            feed.script.add(new MockResponse()
                    .setBody("{\"values\":[{\"id\":\"e0004\"")
                    .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
            Await.until(
                    Duration.ofSeconds(10), () -> feed.requests.size() >= before + 3, "the scripted drops consumed");
            feed.add(2);
            Await.until(Duration.ofSeconds(10), () -> seen.events.size() == 5, "the events after the reconnect");
            assertEquals(3 + 2, watcher.deliveredCount());
        }
        assertEquals(ids(1, 5), seen.events);
    }

    @Test
    void closeEndsTheThreadAndEveryWatcherThreadSaysWhatItWatches() throws InterruptedException {
        List<EventsWatcher> watchers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            watchers.add(client.watch(
                    WatchOptions.fromNow().type(Event.SERVICE_TIMEOUT).waitSeconds(30), event -> {}));
        }
        for (EventsWatcher watcher : watchers) {
            Await.until(Duration.ofSeconds(5), watcher::isCaughtUp, "holding a long poll");
        }
        assertEquals(THREAD_NAME, watchers.get(0).threadName());
        assertEquals(
                5,
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals(THREAD_NAME))
                        .count());
        for (EventsWatcher watcher : watchers) {
            watcher.close();
            assertTrue(watcher.awaitStop(Duration.ZERO), "stopped when close() returns");
            assertNull(watcher.failure(), "closed, not failed");
            assertEquals(WatchState.STOPPED, watcher.state());
        }
        assertNoWatcherThread();
    }

    private static final String THREAD_NAME = EventsWatcher.THREAD_PREFIX + " 7777 service.timeout";

    @Test
    void closingBeforeStartOrTwiceIsHarmless() throws InterruptedException {
        EventsWatcher idle = client.events().watcher(WatchOptions.lastHour(), event -> {});
        idle.close();
        assertTrue(idle.awaitStop(Duration.ZERO));
        idle.start();
        assertNull(idle.state(), "a closed watcher does not start");
        EventsWatcher twice = client.watch(WatchOptions.lastHour(), event -> {});
        twice.close();
        twice.close();
        assertTrue(twice.awaitStop(Duration.ZERO));
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        long now = 1_700_000_000_000L;
        assertEquals(Duration.ofSeconds(7), RetryAfter.parse("7", now));
        assertEquals(Duration.ofSeconds(30), RetryAfter.parse("Tue, 14 Nov 2023 22:13:50 GMT", now));
        assertEquals(Duration.ZERO, RetryAfter.parse("Tue, 14 Nov 2023 22:00:00 GMT", now), "a date past is now");
        assertEquals(RetryAfter.MAX, RetryAfter.parse("86400", now), "capped");
        assertNull(RetryAfter.parse("soon", now));
        assertNull(RetryAfter.parse(null, now));
    }
}
