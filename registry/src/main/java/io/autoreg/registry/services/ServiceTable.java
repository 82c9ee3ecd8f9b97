package io.autoreg.registry.services;

import io.autoreg.registry.auth.HeartbeatTokens;
import io.autoreg.registry.events.EventLog;
import io.autoreg.registry.expiry.ExpiryScheduler;
import io.autoreg.registry.expiry.Lease;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.limits.Quotas;
import io.autoreg.registry.log.ActivityLog;
import io.autoreg.registry.metrics.Metrics;
import io.autoreg.registry.store.Journal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** All tenants' services: create, heartbeat, update, delete, expiry, and replay from the journal. */
public final class ServiceTable {
    private final Map<String, TenantServices> tenants = new ConcurrentHashMap<>();
    private final AtomicLong incarnations = new AtomicLong();
    private final ListCache pages = new ListCache();
    private final Journal journal;
    private final EventLog events;
    private final ExpiryScheduler expiry;
    private final HeartbeatTokens tokens;
    private final LongSupplier clock;
    private final Metrics metrics;
    private final Supplier<Quotas> quotas;
    private final ActivityLog log;
    private volatile SessionDirectory sessions = SessionDirectory.NONE;

    public ServiceTable(
            Journal journal,
            EventLog events,
            ExpiryScheduler expiry,
            HeartbeatTokens tokens,
            LongSupplier clock,
            Metrics metrics,
            Supplier<Quotas> quotas,
            ActivityLog log) {
        this.log = log;
        this.journal = journal;
        this.events = events;
        this.expiry = expiry;
        this.tokens = tokens;
        this.clock = clock;
        this.metrics = metrics;
        this.quotas = quotas;
    }

    public void sessions(SessionDirectory sessions) {
        this.sessions = sessions;
    }

    /** The token of a created service (null for a session service) and the future of its durability. */
    public record Created(String token, CompletableFuture<Void> durable) {}

    public Created create(String tenant, ServiceSpec spec) {
        return journal.together(() -> createNow(tenant, spec));
    }

    private Created createNow(String tenant, ServiceSpec spec) {
        long now = clock.getAsLong();
        if (spec.inSession() && !sessions.alive(tenant, spec.sessionId(), now)) {
            throw ApiError.notFound("Session", spec.sessionId());
        }
        TenantServices services = tenant(tenant);
        if (services.count.incrementAndGet() > quotas.get().services()) {
            services.count.decrementAndGet();
            throw ApiError.quotaReached(quotas.get().services(), "services", "autoreg.server.quotas.service");
        }
        Service service = new Service(
                this,
                tenant,
                spec,
                incarnations.incrementAndGet(),
                0,
                true,
                spec.inSession() ? Long.MAX_VALUE : now + spec.heartbeatTimeout() * 1000L);
        CompletableFuture<Void> durable;
        synchronized (service) {
            Service existing = services.putIfAbsent(service);
            while (existing != null) {
                if (existing.visibleAt(now)) {
                    services.count.decrementAndGet();
                    throw new ApiError(
                            400,
                            "serviceWithThisIdExists",
                            "Service with this id already exists",
                            "Service with id \"" + spec.id() + "\" already exists");
                }
                // Past its deadline but not yet reaped: reap it now (one timeout event) so the id is free.
                existing.checkExpiry(now);
                existing = services.putIfAbsent(service);
            }
            durable = journal.append(putRecord(tenant, service, 0));
        }
        CompletableFuture<Void> joined = events.append(tenant, EventLog.SERVICE_JOIN, now, spec.payloadJson());
        log.info(
                "service.register",
                "tenant",
                tenant,
                "id",
                spec.id(),
                "session",
                spec.sessionId(),
                "heartbeat_timeout",
                spec.inSession() ? null : spec.heartbeatTimeout() + "s");
        if (!spec.inSession()) {
            expiry.schedule(service, service.deadline());
        }
        String token = spec.inSession() ? null : tokens.issue(service.owner, service.incarnation, 0);
        service.lastIssued = token == null ? null : JsonText.tokenUtf8(token);
        return new Created(token, CompletableFuture.allOf(durable, joined));
    }

    /** The visible service, or a 404 naming it. */
    public Service get(String tenant, String id) {
        TenantServices services = tenants.get(tenant);
        Service service = services == null ? null : services.get(id);
        if (service == null || !visible(service, clock.getAsLong())) {
            throw ApiError.notFound("Service", id);
        }
        return service;
    }

    public boolean visible(Service service, long now) {
        if (!service.visibleAt(now)) {
            return false;
        }
        String session = service.spec().sessionId();
        return session == null || sessions.alive(service.tenant, session, now);
    }

    /** The tenant's current version (see {@link TenantServices#version}); read it before rendering a page. */
    public long version(String tenant) {
        TenantServices services = tenants.get(tenant);
        return services == null ? 0 : services.version.get();
    }

    /** A cached rendering of the list {@code key}, if still exact for {@code version} at {@code now}. */
    ListCache.Page cachedPage(String tenant, String key, long version, long now) {
        return pages.get(tenant + '\u0000' + key, version, now);
    }

    /**
     * Caches a rendered page (unless it is too big to keep) and returns it; {@code lastSeenStart[i]}/{@code
     * lastSeenEnd[i]} are the character offsets in {@code page} of the {@code last_seen} value of
     * {@code services[i]}, which is cut out of the cached bytes.
     */
    ListCache.Page cachePage(
            String tenant,
            String key,
            long version,
            long validUntil,
            String page,
            Service[] services,
            int[] lastSeenStart,
            int[] lastSeenEnd) {
        byte[] utf8 = page.getBytes(StandardCharsets.UTF_8);
        int[] cuts = new int[services.length];
        byte[] skeleton;
        if (utf8.length == page.length()) { // ASCII: character offsets are byte offsets
            int removed = 0;
            for (int i = 0; i < services.length; i++) {
                removed += lastSeenEnd[i] - lastSeenStart[i];
            }
            skeleton = new byte[utf8.length - removed];
            int from = 0;
            int at = 0;
            for (int i = 0; i < services.length; i++) {
                int n = lastSeenStart[i] - from;
                System.arraycopy(utf8, from, skeleton, at, n);
                at += n;
                cuts[i] = at;
                from = lastSeenEnd[i];
            }
            System.arraycopy(utf8, from, skeleton, at, utf8.length - from);
        } else {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(utf8.length);
            int from = 0;
            for (int i = 0; i < services.length; i++) {
                out.writeBytes(page.substring(from, lastSeenStart[i]).getBytes(StandardCharsets.UTF_8));
                cuts[i] = out.size();
                from = lastSeenEnd[i];
            }
            out.writeBytes(page.substring(from).getBytes(StandardCharsets.UTF_8));
            skeleton = out.toByteArray();
        }
        ListCache.Page rendered = new ListCache.Page(version, validUntil, skeleton, cuts, services);
        pages.put(tenant + '\u0000' + key, rendered);
        return rendered;
    }

    /** Until when the service stays visible unless heartbeated: its deadline, or its session's. */
    public long visibleUntil(Service service) {
        String session = service.spec().sessionId();
        return session == null ? service.deadline() : sessions.deadline(service.tenant, session);
    }

    public ConcurrentSkipListMap<String, Service> services(String tenant) {
        TenantServices services = tenants.get(tenant);
        return services == null ? new ConcurrentSkipListMap<>() : services.sorted;
    }

    /** Consumes {@code token} and returns the next one. Never touches the disk. */
    /**
     * Consumes {@code token} and answers the heartbeat: {@code {"token":"<next>"}} as UTF-8 in one array
     * ({@link JsonText#tokenUtf8}), which the service also keeps as its last issued token, so a heartbeat
     * makes no token String (docs/benchmarks.md, "Heartbeat tail", issue 16, part 2).
     */
    public byte[] heartbeat(String tenant, String id, String token) {
        return heartbeat(tenant, id, token, null, 0, 0);
    }

    /** As {@link #heartbeat(String, String, String)} with the token as the ASCII bytes {@code [from, to)} of {@code text}. */
    public byte[] heartbeat(String tenant, String id, byte[] text, int from, int to) {
        return heartbeat(tenant, id, null, text, from, to);
    }

    private byte[] heartbeat(String tenant, String id, String token, byte[] text, int from, int to) {
        Service service = get(tenant, id);
        if (service.spec().inSession()) {
            throw ApiError.notFound("HeartbeatMarker", tokenText(token, text, from, to));
        }
        byte[] last = service.lastIssued;
        long presented = token != null
                ? tokens.verify(token, service.owner, service.incarnation, last, JsonText.TOKEN_AT)
                : tokens.verify(text, from, to, service.owner, service.incarnation, last, JsonText.TOKEN_AT);
        if (presented < 0) {
            throw ApiError.notFound("HeartbeatMarker", tokenText(token, text, from, to));
        }
        boolean[] reschedule = new boolean[1];
        long next = service.beat(presented, clock.getAsLong(), service.spec().heartbeatTimeout() * 1000L, reschedule);
        if (next == Lease.EXPIRED) {
            throw ApiError.notFound("Service", id);
        }
        if (next == Lease.BAD_TOKEN) {
            throw ApiError.notFound("HeartbeatMarker", tokenText(token, text, from, to));
        }
        if (reschedule[0]) {
            expiry.schedule(service, service.deadline());
        }
        metrics.heartbeat();
        byte[] answer = JsonText.tokenAnswer();
        tokens.issueInto(answer, JsonText.TOKEN_AT, service.owner, service.incarnation, next);
        service.lastIssued = answer;
        return answer;
    }

    /** The presented token as text, for a fault's message only. */
    private static String tokenText(String token, byte[] text, int from, int to) {
        return token != null ? token : new String(text, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Partial update; a null argument keeps the current value. A new timeout applies from the next heartbeat. */
    public CompletableFuture<Void> update(
            String tenant, String id, List<String> tags, Map<String, String> metadata, Integer heartbeatTimeout) {
        Service service = get(tenant, id);
        synchronized (service) {
            if (service.dead()) {
                throw ApiError.notFound("Service", id);
            }
            ServiceSpec old = service.spec();
            if (heartbeatTimeout != null && old.inSession()) {
                throw ApiError.validation("heartbeat_timeout", "A service in a session has no heartbeat_timeout");
            }
            ServiceSpec updated = old.with(
                    tags != null ? tags : old.tags(),
                    metadata != null ? metadata : old.metadata(),
                    heartbeatTimeout != null ? heartbeatTimeout : old.heartbeatTimeout());
            service.spec(updated);
            tenant(tenant).version.incrementAndGet();
            return journal.append(putRecord(tenant, service, service.generation()));
        }
    }

    public CompletableFuture<Void> delete(String tenant, String id) {
        Service service = get(tenant, id);
        CompletableFuture<Void> removed = remove(service, EventLog.SERVICE_REMOVE, clock.getAsLong());
        if (removed == null) {
            throw ApiError.notFound("Service", id);
        }
        return removed;
    }

    /** Called by the expiry thread: exactly one timeout event, stamped with the deadline. */
    void expired(Service service, long deadline) {
        journal.together(() -> {
            if (linked(service)) {
                metrics.expiry();
                // The event first, then the unlink: a reader that finds the service gone finds its event too
                // (docs/api.md §4); the other order left a window where it was gone without one.
                events.append(
                        service.tenant,
                        EventLog.SERVICE_TIMEOUT,
                        deadline,
                        service.spec().payloadJson());
                unlinkKilled(service);
                log.info(
                        "service.expire",
                        "tenant",
                        service.tenant,
                        "id",
                        service.id(),
                        "heartbeat_timeout",
                        service.spec().heartbeatTimeout() + "s");
            }
            return null;
        });
    }

    /** Removes every service of a session that ended (deleted: remove events; expired: timeout events). */
    public CompletableFuture<Void> removeSession(String tenant, String sessionId, boolean timedOut, long stamp) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Service service : services(tenant).values()) {
            if (sessionId.equals(service.spec().sessionId())) {
                CompletableFuture<Void> removed =
                        remove(service, timedOut ? EventLog.SERVICE_TIMEOUT : EventLog.SERVICE_REMOVE, stamp);
                if (removed != null) {
                    done.add(removed);
                    if (timedOut) {
                        metrics.expiry();
                    }
                }
            }
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> remove(Service service, String eventType, long stamp) {
        if (!service.kill()) {
            return null;
        }
        return journal.together(() -> {
            // Event before unlink, as in expired(): never gone from the table without its event.
            CompletableFuture<Void> event = events.append(
                    service.tenant, eventType, stamp, service.spec().payloadJson());
            CompletableFuture<Void> deleted = unlinkKilled(service);
            if (deleted == null) {
                deleted = CompletableFuture.completedFuture(null);
            }
            boolean expired = eventType.equals(EventLog.SERVICE_TIMEOUT);
            log.info(
                    expired ? "service.expire" : "service.deregister",
                    "tenant",
                    service.tenant,
                    "id",
                    service.id(),
                    "session",
                    service.spec().sessionId());
            return CompletableFuture.allOf(deleted, event);
        });
    }

    /** Whether {@code service} (not a later one of the same id) is still in its tenant's table. */
    private boolean linked(Service service) {
        TenantServices services = tenants.get(service.tenant);
        return services != null && services.get(service.id()) == service;
    }

    private CompletableFuture<Void> unlinkKilled(Service service) {
        TenantServices services = tenant(service.tenant);
        synchronized (service) {
            if (!services.remove(service)) {
                return null;
            }
            services.count.decrementAndGet();
            return journal.append(deleteRecord(service.tenant, service.id(), service.incarnation));
        }
    }

    public int liveCount() {
        int n = 0;
        for (TenantServices services : tenants.values()) {
            n += services.count.get();
        }
        return n;
    }

    public Map<String, TenantServices> tenants() {
        return tenants;
    }

    /** Live services per tenant (a copy, for a metrics scrape). */
    public Map<String, Integer> liveByTenant() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        tenants.forEach((tenant, services) -> counts.put(tenant, services.count.get()));
        return counts;
    }

    // ---- replay and snapshots ----

    /** Replays a journaled service. Live services get a fresh deadline from the restart. */
    public void restore(String tenant, ServiceSpec spec, long incarnation, long generation) {
        incarnations.accumulateAndGet(incarnation, Math::max);
        TenantServices services = tenant(tenant);
        long deadline = spec.inSession() ? Long.MAX_VALUE : clock.getAsLong() + spec.heartbeatTimeout() * 1000L;
        Service existing = services.get(spec.id());
        if (existing != null && existing.incarnation == incarnation) {
            existing.spec(spec);
            return;
        }
        Service service = new Service(this, tenant, spec, incarnation, generation, false, deadline);
        if (services.put(service)) {
            services.count.incrementAndGet();
        }
    }

    public void restoreDelete(String tenant, String id, long incarnation) {
        TenantServices services = tenant(tenant);
        Service existing = services.get(id);
        if (existing != null && existing.incarnation == incarnation && services.remove(existing)) {
            services.count.decrementAndGet();
        }
    }

    /** After replay: arm the expiry of every restored service. */
    public void armRestored() {
        for (TenantServices services : tenants.values()) {
            for (Service service : services.values()) {
                if (!service.spec().inSession()) {
                    expiry.schedule(service, service.deadline());
                }
            }
        }
    }

    /** Snapshot records of every live service (with its current generation as the new token floor). */
    public void snapshot(java.util.function.Consumer<byte[]> out) {
        tenants.forEach((tenant, services) -> services.values().forEach(service -> {
            synchronized (service) {
                if (!service.dead()) {
                    out.accept(putRecord(tenant, service, service.generation()));
                }
            }
        }));
    }

    private TenantServices tenant(String tenant) {
        return tenants.computeIfAbsent(tenant, t -> new TenantServices());
    }

    static byte[] putRecord(String tenant, Service service, long generation) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("{\"op\":\"service.put\",\"tenant\":");
        JsonText.string(sb, tenant);
        sb.append(",\"incarnation\":")
                .append(service.incarnation)
                .append(",\"generation\":")
                .append(generation)
                .append(",\"service\":")
                .append(service.spec().payloadJson())
                .append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] deleteRecord(String tenant, String id, long incarnation) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"op\":\"service.delete\",\"tenant\":");
        JsonText.string(sb, tenant);
        sb.append(",\"id\":");
        JsonText.string(sb, id);
        sb.append(",\"incarnation\":").append(incarnation).append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
