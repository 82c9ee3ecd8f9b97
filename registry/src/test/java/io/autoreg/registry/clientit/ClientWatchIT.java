package io.autoreg.registry.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.client.EventsListener;
import io.autoreg.core.client.EventsWatcher;
import io.autoreg.core.client.FeedGap;
import io.autoreg.core.client.RegistryApiException;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.WatchOptions;
import io.autoreg.core.client.WatchState;
import io.autoreg.core.client.model.Event;
import io.autoreg.core.client.model.ServiceCreate;
import io.autoreg.registry.RegistryServer;
import io.autoreg.registry.support.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ServiceRegistryClient#watch} against the real registry: through a registry killed with -9 and
 * started again (the packaged jar, as {@link ClientOutageIT}), past the retention on the server's clock
 * (a gap, both policies), refused by the server's auth and validation (it stops, it does not spin), and
 * closed without a thread left behind.
 */
class ClientWatchIT {

    @TempDir
    Path work;

    /** Everything the watcher says, in order. */
    static final class Recorder implements EventsListener {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<FeedGap> gaps = new CopyOnWriteArrayList<>();
        final List<WatchState> states = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Event event) {
            events.add(event);
        }

        @Override
        public void onGap(FeedGap gap) {
            gaps.add(gap);
        }

        @Override
        public void onState(WatchState state, Exception cause) {
            states.add(state);
        }

        List<String> values() {
            return events.stream()
                    .map(e -> e.payload()
                            .path("new_value")
                            .asText(e.payload().path("id").asText()))
                    .toList();
        }
    }

    private static void assertNoWatcherThread() {
        assertFalse(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().startsWith(EventsWatcher.THREAD_PREFIX) && t.isAlive()),
                "a watcher thread outlived its close");
    }

    @Test
    void theWatcherFollowsTheFeedThroughARegistryKilledAndStartedAgain() throws Exception {
        Recorder seen = new Recorder();
        try (RegistryChild registry = new RegistryChild(work).start();
                ServiceRegistryClient client = ServiceRegistryClient.builder()
                        .url(registry.url("watch-outage"))
                        .timeouts(Duration.ofMillis(500), Duration.ofSeconds(5))
                        .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                        .build()) {
            client.configuration().set("watched_key", "before");
            try (EventsWatcher watcher = client.watch(WatchOptions.lastHour().waitSeconds(5), seen)) {
                ClientItSupport.await(
                        Duration.ofSeconds(10), () -> watcher.isCaughtUp() && seen.events.size() == 1, "the backlog");
                client.configuration().set("watched_key", "live");
                ClientItSupport.await(
                        Duration.ofSeconds(10), () -> seen.events.size() == 2, "an event through the long poll");

                registry.kill();
                ClientItSupport.await(
                        Duration.ofSeconds(20), () -> watcher.state() == WatchState.RETRYING, "retrying while down");
                registry.start();
                ClientItSupport.await(Duration.ofSeconds(30), () -> watcher.state() == WatchState.LIVE, "live again");
                client.configuration().set("watched_key", "after");
                client.services().create(ServiceCreate.withHeartbeat("watched-svc", 60, List.of(), Map.of()));
                ClientItSupport.await(
                        Duration.ofSeconds(20), () -> seen.events.size() == 4, "events after the restart");
                assertEquals(seen.events.get(3).id(), watcher.marker());
                assertNull(watcher.failure());
            }
        }
        assertEquals(
                List.of("before", "live", "after", "watched-svc"), seen.values(), "in order, none lost, none twice");
        assertTrue(seen.gaps.isEmpty(), "the journal kept the marker across the restart: no gap");
        assertTrue(seen.states.contains(WatchState.RETRYING));
        assertEquals(WatchState.STOPPED, seen.states.get(seen.states.size() - 1));
        assertNoWatcherThread();
    }

    @Test
    void aMarkerPastTheRetentionIsAGapResumedFromTheOldestKeptOrSkippedToNow() throws Exception {
        SettableClock clock = new SettableClock();
        try (RegistryServer server = RegistryServer.builder()
                        .bind("127.0.0.1")
                        .port(0)
                        .dataDir(work)
                        .clock(clock)
                        .build()
                        .start();
                ServiceRegistryClient client = ClientItSupport.client(server, "watch-gap")) {
            // configuration events only: a service would time out when the clock jumps and add events of its own
            client.configuration().set("gap_key", "old-1");
            client.configuration().set("gap_key", "old-2");
            String lost = client.events().list(null, null, null).values().get(0).id();
            clock.advance(Duration.ofDays(31)); // past the 30-day retention (docs/api.md §4)
            client.configuration().set("gap_key", "kept");
            String kept = client.events().latestMarker(null);

            Recorder resumed = new Recorder();
            try (EventsWatcher watcher = client.watch(WatchOptions.after(lost), resumed)) {
                ClientItSupport.await(
                        Duration.ofSeconds(10),
                        () -> watcher.isCaughtUp() && resumed.events.size() == 1,
                        "the kept event");
                assertEquals(1, watcher.gapCount());
            }
            assertEquals(List.of(new FeedGap(lost, kept, FeedGap.Policy.RESUME_FROM_OLDEST)), resumed.gaps);
            assertEquals(List.of("kept"), resumed.values());

            Recorder skipped = new Recorder();
            try (EventsWatcher watcher =
                    client.watch(WatchOptions.after(lost).onGap(FeedGap.Policy.SKIP_TO_NOW), skipped)) {
                ClientItSupport.await(
                        Duration.ofSeconds(10),
                        () -> watcher.isCaughtUp() && kept.equals(watcher.marker()),
                        "skipped to now");
                client.configuration().set("gap_key", "new");
                ClientItSupport.await(Duration.ofSeconds(10), () -> skipped.events.size() == 1, "the new event");
            }
            assertEquals(List.of(new FeedGap(lost, kept, FeedGap.Policy.SKIP_TO_NOW)), skipped.gaps);
            assertEquals(List.of("new"), skipped.values());
        }
        assertNoWatcherThread();
    }

    @Test
    void badCredentialsAForeignTenantOrAnUnknownTypeStopTheWatcherWithTheServersAnswer() throws Exception {
        try (RegistryServer server = RegistryServer.builder()
                .bind("127.0.0.1")
                .port(0)
                .dataDir(work)
                .config("""
                autoreg.server {
                  users = [{ username = ops, api-key = secret, tenant = "7777" }]
                  tokens { "watch-token" = "7777" }
                }
                """)
                .build()
                .start()) {
            assertStops(server, "7777", "not-a-token", WatchOptions.lastHour(), 401);
            assertStops(server, "8888", "watch-token", WatchOptions.lastHour(), 403);
            assertStops(server, "7777", "watch-token", WatchOptions.lastHour().type("service.explode"), 400);
            // the same token and tenant with a good type is served: the refusals above were the server's
            try (ServiceRegistryClient client = ServiceRegistryClient.builder()
                            .url(server.baseUrl() + "/v1.0/7777")
                            .token("watch-token")
                            .build();
                    EventsWatcher watcher =
                            client.watch(WatchOptions.fromNow().type(Event.SERVICE_JOIN), event -> {})) {
                ClientItSupport.await(Duration.ofSeconds(10), watcher::isCaughtUp, "long-polling");
                assertNull(watcher.failure());
            }
        }
        assertNoWatcherThread();
    }

    private static void assertStops(
            RegistryServer server, String tenant, String token, WatchOptions options, int status)
            throws InterruptedException {
        Recorder seen = new Recorder();
        try (ServiceRegistryClient client = ServiceRegistryClient.builder()
                        .url(server.baseUrl() + "/v1.0/" + tenant)
                        .token(token)
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                        .build();
                EventsWatcher watcher = client.watch(options, seen)) {
            assertTrue(watcher.awaitStop(Duration.ofSeconds(10)), "HTTP " + status + " stops the watcher");
            RegistryApiException failure = assertInstanceOf(RegistryApiException.class, watcher.failure());
            assertEquals(status, failure.status(), failure.getMessage());
            assertEquals(List.of(WatchState.CATCHING_UP, WatchState.STOPPED), seen.states, "stopped without a retry");
        }
    }

    @Test
    void closingManyWatchersHoldingLongPollsLeavesNoThread() throws Exception {
        try (RegistryServer server = ClientItSupport.openServer(work);
                ServiceRegistryClient client = ClientItSupport.client(server, "watch-close")) {
            List<EventsWatcher> watchers = new CopyOnWriteArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    watchers.add(client.watch(WatchOptions.fromNow().waitSeconds(60), event -> {}));
                }
                for (EventsWatcher watcher : watchers) {
                    ClientItSupport.await(Duration.ofSeconds(10), watcher::isCaughtUp, "holding a long poll");
                }
                assertTrue(
                        watchers.get(0).threadName().startsWith(EventsWatcher.THREAD_PREFIX + " watch-close"),
                        watchers.get(0).threadName());
            } finally {
                watchers.forEach(EventsWatcher::close);
            }
            for (EventsWatcher watcher : watchers) {
                assertTrue(watcher.awaitStop(Duration.ZERO), "stopped by the time close() returned");
                assertNull(watcher.failure());
            }
            assertNoWatcherThread();
        }
    }
}
