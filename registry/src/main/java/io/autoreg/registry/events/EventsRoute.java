package io.autoreg.registry.events;

import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.ListPage;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * {@code GET /v1.0/{tenant}/events?marker=&limit=&type=&wait=} (docs/api.md §4). A long poll never holds an IO
 * thread: the exchange is parked in {@link LongPolls}, answered by the next event or by the timeout.
 */
public final class EventsRoute implements Route {
    static final Set<String> TYPES = Set.of(
            EventLog.SERVICE_JOIN,
            EventLog.SERVICE_REMOVE,
            EventLog.SERVICE_TIMEOUT,
            EventLog.CONFIG_UPDATE,
            EventLog.CONFIG_REMOVE);
    private static final long DEFAULT_WINDOW_MILLIS = 3_600_000L;
    private static final int MAX_WAIT_SECONDS = 60;
    private final EventLog log;
    private final LongSupplier clock;
    private final LongPolls polls;
    private final EventStreams streams;

    public EventsRoute(EventLog log, LongSupplier clock, LongPolls polls, EventStreams streams) {
        this.log = log;
        this.clock = clock;
        this.polls = polls;
        this.streams = streams;
    }

    @Override
    public Reply handle(Call call) {
        call.requireGetOfCollection();
        String marker = call.query("marker");
        if (marker != null && !EventIds.wellFormed(marker)) {
            throw ApiError.invalidParameter("marker");
        }
        String normalized = marker == null ? null : marker.toLowerCase(Locale.ROOT);
        String type = call.query("type");
        if (type != null && !TYPES.contains(type)) {
            throw ApiError.badRequest("Invalid type: " + type, "type must be one of " + TYPES);
        }
        if (wantsStream(call)) {
            // Last-Event-ID (a reconnecting EventSource) wins over the marker the stream was first opened with.
            String last = call.exchange().getRequestHeaders().getFirst("Last-Event-ID");
            if (last != null && !last.isBlank()) {
                if (!EventIds.wellFormed(last.trim())) {
                    throw ApiError.badRequest("Invalid Last-Event-ID", "Last-Event-ID must be an event id");
                }
                normalized = last.trim().toLowerCase(Locale.ROOT);
            }
            streams.open(call.exchange(), call.tenant(), normalized, type);
            return null;
        }
        int wait = waitSeconds(call);
        ListPage.limit(call);
        String from = normalized != null ? normalized : EventIds.floor(clock.getAsLong() - DEFAULT_WINDOW_MILLIS);
        // Past the retention an event is gone for every reader at once, not only after the next prune.
        String retained = log.retainedFloor();
        if (from.compareTo(retained) < 0) {
            from = retained;
        }
        if (wait == 0 || hasNewer(call.tenant(), from, normalized, type)) {
            return Reply.ok(page(call, from, marker, type));
        }
        waitForNewer(call, from, normalized, marker, type, clock.getAsLong() + wait * 1000L);
        return null; // LongPolls writes the answer on the exchange (docs/benchmarks.md, "Watchers")
    }

    /**
     * Parks the poll with every other poll that will get the same page: same tenant, start key, base URL and
     * query (limit, type, and what next_href repeats). The group's page is rendered once (see LongPolls).
     */
    private void waitForNewer(Call call, String from, String normalized, String marker, String type, long until) {
        String tenant = call.tenant();
        GroupKey key = new GroupKey(from, call.base(), call.exchange().getQueryString());
        polls.park(
                tenant,
                key,
                () -> new LongPolls.Feed() {
                    @Override
                    public boolean hasNewer() {
                        return EventsRoute.this.hasNewer(tenant, from, normalized, type);
                    }

                    @Override
                    public String page() {
                        return EventsRoute.this.page(call, from, marker, type);
                    }
                },
                until,
                call);
    }

    /**
     * What makes two polls' answers the same page. A record, not the three joined into a String: that copy was
     * ~7 % of everything the IO threads allocated with 10,000 watchers re-polling (docs/benchmarks.md, "Watchers").
     */
    private record GroupKey(String from, String base, String query) {}

    /** Whether an event of the type exists after the marker (or in the window, without one). */
    private boolean hasNewer(String tenant, String from, String marker, String type) {
        ConcurrentSkipListMap<String, Event> events = log.events(tenant);
        // The marker itself was seen already; a start key moved up to the retention floor was not.
        var view = events.tailMap(from, !from.equals(marker));
        if (type == null) {
            return !view.isEmpty();
        }
        for (Event e : view.values()) {
            if (e.type().equals(type)) {
                return true;
            }
        }
        return false;
    }

    private String page(Call call, String from, String marker, String type) {
        return ListPage.render(
                call,
                log.events(call.tenant()),
                from,
                marker,
                e -> type == null || e.type().equals(type),
                (sb, id, e) -> e.writeTo(sb),
                "/v1.0/" + call.tenant() + "/events");
    }

    /** {@code Accept: text/event-stream}: the server-sent-events form of the feed (docs/api.md §4). */
    private static boolean wantsStream(Call call) {
        String accept = call.exchange().getRequestHeaders().getFirst(io.undertow.util.Headers.ACCEPT);
        return accept != null && accept.contains("text/event-stream");
    }

    private static int waitSeconds(Call call) {
        String raw = call.query("wait");
        if (raw == null) {
            return 0;
        }
        try {
            int wait = Integer.parseInt(raw.trim());
            if (wait < 0 || wait > MAX_WAIT_SECONDS) {
                throw ApiError.invalidParameter("wait");
            }
            return wait;
        } catch (NumberFormatException e) {
            throw ApiError.invalidParameter("wait");
        }
    }
}
