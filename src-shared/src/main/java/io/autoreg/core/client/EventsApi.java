package io.autoreg.core.client;

import io.autoreg.core.client.model.Event;
import io.autoreg.core.client.model.Page;
import io.autoreg.core.internal.lifecycle.Backoff;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** {@code /events} (docs/api.md §4), oldest first, with the {@code wait=} long poll and a watcher built on it. */
public final class EventsApi {

    /** Longest {@code wait} the registry accepts. */
    public static final int MAX_WAIT_SECONDS = 60;

    private final Transport transport;
    private final ServiceRegistryClient client;

    EventsApi(Transport transport, ServiceRegistryClient client) {
        this.transport = transport;
        this.client = client;
    }

    /**
     * One page of events. {@code marker} is an event id and inclusive (the answer starts with it);
     * without one the feed starts one hour ago. {@code type} filters on one of the five types.
     */
    public Page<Event> list(String marker, Integer limit, String type) throws IOException {
        return list(marker, limit, type, 0, null);
    }

    /**
     * Like {@link #list}, but with {@code waitSeconds > 0} the registry holds the request until an event
     * newer than {@code marker} exists or the wait runs out (then the page is empty, or holds only the
     * marker itself).
     */
    public Page<Event> list(String marker, Integer limit, String type, int waitSeconds) throws IOException {
        return list(marker, limit, type, waitSeconds, null);
    }

    Page<Event> list(String marker, Integer limit, String type, int waitSeconds, Consumer<Call> onCall)
            throws IOException {
        HttpUrl.Builder url = transport.url("events");
        Pages.query(url, marker, limit);
        if (type != null) {
            url.addQueryParameter("type", type);
        }
        OkHttpClient http = transport.http();
        if (waitSeconds > 0) {
            url.addQueryParameter("wait", Integer.toString(waitSeconds));
            // a variant of the shared client: same pool and connections, timeouts that outlast the wait
            Duration longPoll = Duration.ofSeconds(waitSeconds + 15L);
            http = http.newBuilder()
                    .readTimeout(longPoll)
                    .callTimeout(longPoll.plusSeconds(5))
                    .build();
        }
        return transport
                .<Page<Event>>exchange(
                        "list events", "GET", url.build(), null, Transport.pageOf(Event.class), http, onCall)
                .body();
    }

    /** The id of the newest event (paging through the last hour), or null when the feed is empty. */
    public String latestMarker(String type) throws IOException {
        String marker = null;
        String last = null;
        for (int pages = 0; pages < 100_000; pages++) {
            Page<Event> page = list(marker, 1000, type);
            if (!page.values().isEmpty()) {
                last = page.values().get(page.values().size() - 1).id();
            }
            if (!page.hasNext()) {
                return last;
            }
            marker = page.metadata().nextMarker();
        }
        return last;
    }

    /**
     * Starts a watcher on its own daemon thread (see {@link EventsWatcher}); close it to stop.
     * The same as {@link ServiceRegistryClient#watch}.
     */
    public EventsWatcher watch(WatchOptions options, EventsListener listener) {
        return watcher(options, listener).start();
    }

    /** A watcher that is not started yet. */
    public EventsWatcher watcher(WatchOptions options, EventsListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        Backoff backoff = options.initialBackoff() == null
                ? client.backoffSettings()
                : client.backoffSettings(options.initialBackoff(), options.maxBackoff());
        return new EventsWatcher(this, options, listener, backoff);
    }

    /**
     * Starts a watcher delivering every event after {@code afterMarker} (exclusive; null = the whole
     * last hour) to {@code listener}, on its own daemon thread, until closed.
     */
    public EventsWatcher watch(String afterMarker, String type, Consumer<Event> listener) {
        WatchOptions options = afterMarker == null ? WatchOptions.lastHour() : WatchOptions.after(afterMarker);
        return watch(options.type(type), listener::accept);
    }

    /** Starts a watcher for events from now on. */
    public EventsWatcher watchFromNow(String type, Consumer<Event> listener) {
        return watch(WatchOptions.fromNow().type(type), listener::accept);
    }

    /** A watcher that is not started yet, with a custom wait (1..60 s). */
    public EventsWatcher watcher(
            String afterMarker, boolean fromNow, String type, int waitSeconds, Consumer<Event> listener) {
        WatchOptions options = afterMarker != null
                ? WatchOptions.after(afterMarker)
                : fromNow ? WatchOptions.fromNow() : WatchOptions.lastHour();
        return watcher(options.type(type).waitSeconds(waitSeconds), listener::accept);
    }

    /** The tenant of the base URL ({@code /v1.0/{tenant}}), to name the watcher's thread. */
    String tenant() {
        List<String> segments = transport.base().pathSegments();
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (!segments.get(i).isEmpty()) {
                return segments.get(i);
            }
        }
        return transport.base().host();
    }
}
