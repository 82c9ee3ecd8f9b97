package io.autoreg.registry.events;

import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.store.Journal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/** The per-tenant events feed, ordered by time-ordered id, journaled; tells a listener of each append (LongPolls, EventStreams). */
public final class EventLog {
    public static final String SERVICE_JOIN = "service.join";
    public static final String SERVICE_REMOVE = "service.remove";
    public static final String SERVICE_TIMEOUT = "service.timeout";
    public static final String CONFIG_UPDATE = "configuration_value.update";
    public static final String CONFIG_REMOVE = "configuration_value.remove";

    private final Map<String, ConcurrentSkipListMap<String, Event>> byTenant = new ConcurrentHashMap<>();
    private final EventIds ids = new EventIds();
    private final Journal journal;
    private final LongSupplier clock;
    private volatile Duration retention;
    private final int maxPerTenant;
    private final int maxTotal;
    private volatile java.util.function.Consumer<String> onAppend = tenant -> {};

    /**
     * @param maxPerTenant events kept per tenant at most
     * @param maxTotal     events kept in all tenants together at most: the per-tenant cap alone lets the heap fill
     *                     with as many caps as there are churning tenants
     */
    public EventLog(Journal journal, LongSupplier clock, Duration retention, int maxPerTenant, int maxTotal) {
        this.journal = journal;
        this.clock = clock;
        this.retention = retention;
        this.maxPerTenant = maxPerTenant;
        this.maxTotal = maxTotal;
    }

    /** Appends an event stamped {@code timestamp}; the future completes once it is durable. */
    public CompletableFuture<Void> append(String tenant, String type, long timestamp, String payloadJson) {
        Event event = new Event(ids.next(clock.getAsLong()), timestamp, type, payloadJson);
        tenantEvents(tenant).put(event.id(), event);
        CompletableFuture<Void> durable = journal.append(record(tenant, event));
        wake(tenant);
        return durable;
    }

    /** Replay of a journaled event; one past the retention is dropped, so the start-up snapshot leaves it out. */
    public void restore(String tenant, Event event) {
        ids.observe(event.id());
        if (event.id().compareTo(retainedFloor()) >= 0) {
            tenantEvents(tenant).put(event.id(), event);
        }
    }

    /** The smallest event id still within the retention: older events are pruned and never served. */
    public String retainedFloor() {
        long millis = clock.getAsLong() - retention.toMillis();
        Floor last = floor;
        if (last == null || last.millis != millis) {
            // One id string per millisecond, not per long poll (10,000 re-polls come within a few ms).
            last = new Floor(millis, EventIds.floor(millis));
            floor = last;
        }
        return last.id;
    }

    private record Floor(long millis, String id) {}

    private volatile Floor floor;

    public ConcurrentSkipListMap<String, Event> events(String tenant) {
        ConcurrentSkipListMap<String, Event> events = byTenant.get(tenant);
        return events != null ? events : new ConcurrentSkipListMap<>();
    }

    public Map<String, ConcurrentSkipListMap<String, Event>> all() {
        return byTenant;
    }

    /**
     * Drops events older than the retention, then the oldest beyond the per-tenant cap, then the oldest of any tenant
     * beyond the total cap — as a shorter retention would, so the quiet tenants' old events go before the busy
     * tenant's new ones (run periodically; between runs the log may pass a cap by a minute's events).
     */
    public Pruned prune() {
        String floor = retainedFloor();
        long total = 0;
        long pastRetention = 0;
        long overTenantCap = 0;
        for (ConcurrentSkipListMap<String, Event> events : byTenant.values()) {
            // the expired head counted before it is cleared: walks of it, not two of the whole map (size() is linear)
            Map<String, Event> expired = events.headMap(floor);
            pastRetention += expired.size();
            expired.clear();
            int size = events.size();
            for (int i = maxPerTenant; i < size; i++) {
                events.pollFirstEntry();
                overTenantCap++;
            }
            total += Math.min(size, maxPerTenant);
        }
        long overTotal = total > maxTotal ? dropOldest(total - maxTotal) : 0;
        return new Pruned(pastRetention, overTenantCap, overTotal, total - overTotal);
    }

    /**
     * Drops the {@code count} oldest events of all tenants together: the tenants in a queue by their oldest event,
     * so each drop costs a log of the number of tenants (thousands of tenants and a minute of heavy churn stay cheap).
     */
    private long dropOldest(long count) {
        PriorityQueue<Map.Entry<String, ConcurrentSkipListMap<String, Event>>> byOldest =
                new PriorityQueue<>(Map.Entry.comparingByKey());
        for (ConcurrentSkipListMap<String, Event> events : byTenant.values()) {
            String first = firstKeyOrNull(events);
            if (first != null) {
                byOldest.add(Map.entry(first, events));
            }
        }
        long dropped = 0;
        while (dropped < count && !byOldest.isEmpty()) {
            ConcurrentSkipListMap<String, Event> events = byOldest.poll().getValue();
            if (events.pollFirstEntry() != null) {
                dropped++;
            }
            String next = firstKeyOrNull(events);
            if (next != null) {
                byOldest.add(Map.entry(next, events));
            }
        }
        return dropped;
    }

    private static String firstKeyOrNull(ConcurrentSkipListMap<String, Event> events) {
        Map.Entry<String, Event> first = events.firstEntry();
        return first == null ? null : first.getKey();
    }

    /** What one {@link #prune} dropped, by why, and how many events it left in all tenants. */
    public record Pruned(long pastRetention, long overTenantCap, long overTotal, long kept) {}

    public Duration retention() {
        return retention;
    }

    public void retention(Duration retention) {
        this.retention = retention;
    }

    /** Told the tenant of every appended event, after it is readable (the long polls and streams). */
    public void onAppend(java.util.function.Consumer<String> listener) {
        this.onAppend = listener;
    }

    private void wake(String tenant) {
        onAppend.accept(tenant);
    }

    private ConcurrentSkipListMap<String, Event> tenantEvents(String tenant) {
        return byTenant.computeIfAbsent(tenant, t -> new ConcurrentSkipListMap<>());
    }

    public static byte[] record(String tenant, Event event) {
        StringBuilder sb = new StringBuilder(128 + event.payloadJson().length());
        sb.append("{\"op\":\"event\",\"tenant\":");
        JsonText.string(sb, tenant);
        sb.append(",\"event\":");
        event.writeTo(sb);
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
