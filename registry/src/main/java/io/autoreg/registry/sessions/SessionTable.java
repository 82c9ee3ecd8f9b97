package io.autoreg.registry.sessions;

import io.autoreg.registry.auth.HeartbeatTokens;
import io.autoreg.registry.expiry.ExpiryScheduler;
import io.autoreg.registry.expiry.Lease;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.limits.Quotas;
import io.autoreg.registry.log.ActivityLog;
import io.autoreg.registry.metrics.Metrics;
import io.autoreg.registry.services.ServiceTable;
import io.autoreg.registry.services.SessionDirectory;
import io.autoreg.registry.store.Journal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** All tenants' sessions; a session's end removes its services. */
public final class SessionTable implements SessionDirectory {
    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private final Map<String, ConcurrentSkipListMap<String, Session>> tenants = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicLong incarnations = new AtomicLong();
    private final Journal journal;
    private final ServiceTable services;
    private final ExpiryScheduler expiry;
    private final HeartbeatTokens tokens;
    private final LongSupplier clock;
    private final Metrics metrics;
    private final Supplier<Quotas> quotas;
    private final ActivityLog log;

    public SessionTable(
            Journal journal,
            ServiceTable services,
            ExpiryScheduler expiry,
            HeartbeatTokens tokens,
            LongSupplier clock,
            Metrics metrics,
            Supplier<Quotas> quotas,
            ActivityLog log) {
        this.journal = journal;
        this.services = services;
        this.expiry = expiry;
        this.tokens = tokens;
        this.clock = clock;
        this.metrics = metrics;
        this.quotas = quotas;
        this.log = log;
    }

    /** A new session's id, first token and the future of its durability. */
    public record Created(String id, String token, CompletableFuture<Void> durable) {}

    public Created create(String tenant, int heartbeatTimeout, Map<String, String> metadata) {
        AtomicInteger count = counts.computeIfAbsent(tenant, t -> new AtomicInteger());
        if (count.incrementAndGet() > quotas.get().sessions()) {
            count.decrementAndGet();
            throw ApiError.quotaReached(quotas.get().sessions(), "sessions", "autoreg.server.quotas.session");
        }
        ConcurrentSkipListMap<String, Session> sessions = sessions(tenant);
        long now = clock.getAsLong();
        while (true) {
            Session session = new Session(
                    this,
                    tenant,
                    newId(),
                    incarnations.incrementAndGet(),
                    heartbeatTimeout,
                    metadata,
                    0,
                    true,
                    now + heartbeatTimeout * 1000L);
            CompletableFuture<Void> durable;
            synchronized (session) {
                if (sessions.putIfAbsent(session.id, session) != null) {
                    continue;
                }
                durable = journal.append(putRecord(session, 0));
            }
            expiry.schedule(session, session.deadline());
            log.info("session.create", "tenant", tenant, "id", session.id, "heartbeat_timeout", heartbeatTimeout + "s");
            return new Created(session.id, tokens.issue(session.owner, session.incarnation, 0), durable);
        }
    }

    public Session get(String tenant, String id) {
        ConcurrentSkipListMap<String, Session> sessions = tenants.get(tenant);
        Session session = sessions == null ? null : sessions.get(id);
        if (session == null || !session.aliveAt(clock.getAsLong())) {
            throw ApiError.notFound("Session", id);
        }
        return session;
    }

    @Override
    public boolean alive(String tenant, String sessionId, long now) {
        ConcurrentSkipListMap<String, Session> sessions = tenants.get(tenant);
        Session session = sessions == null ? null : sessions.get(sessionId);
        return session != null && session.aliveAt(now);
    }

    @Override
    public long deadline(String tenant, String sessionId) {
        ConcurrentSkipListMap<String, Session> sessions = tenants.get(tenant);
        Session session = sessions == null ? null : sessions.get(sessionId);
        return session == null || session.dead() ? Long.MIN_VALUE : session.deadline();
    }

    public ConcurrentSkipListMap<String, Session> sessions(String tenant) {
        return tenants.computeIfAbsent(tenant, t -> new ConcurrentSkipListMap<>());
    }

    public String heartbeat(String tenant, String id, String token) {
        Session session = get(tenant, id);
        long presented = tokens.verify(token, session.owner, session.incarnation);
        if (presented < 0) {
            throw ApiError.notFound("HeartbeatMarker", token);
        }
        boolean[] reschedule = new boolean[1];
        long next = session.beat(presented, clock.getAsLong(), session.heartbeatTimeout() * 1000L, reschedule);
        if (next == Lease.EXPIRED) {
            throw ApiError.notFound("Session", id);
        }
        if (next == Lease.BAD_TOKEN) {
            throw ApiError.notFound("HeartbeatMarker", token);
        }
        if (reschedule[0]) {
            expiry.schedule(session, session.deadline());
        }
        metrics.heartbeat();
        return tokens.issue(session.owner, session.incarnation, next);
    }

    public CompletableFuture<Void> update(String tenant, String id, Integer timeout, Map<String, String> metadata) {
        Session session = get(tenant, id);
        synchronized (session) {
            if (session.dead()) {
                throw ApiError.notFound("Session", id);
            }
            session.update(timeout, metadata);
            return journal.append(putRecord(session, session.generation()));
        }
    }

    /** Deletes the session; each of its services is removed with a service.remove event. */
    public CompletableFuture<Void> delete(String tenant, String id) {
        Session session = get(tenant, id);
        if (!session.kill()) {
            throw ApiError.notFound("Session", id);
        }
        log.info("session.delete", "tenant", tenant, "id", id);
        return journal.together(() -> {
            CompletableFuture<Void> removed = services.removeSession(tenant, id, false, clock.getAsLong());
            return CompletableFuture.allOf(unlink(session), removed);
        });
    }

    void expired(Session session, long deadline) {
        metrics.expiry();
        log.info("session.expire", "tenant", session.tenant, "id", session.id);
        journal.together(() -> {
            services.removeSession(session.tenant, session.id, true, deadline);
            return unlink(session);
        });
    }

    private CompletableFuture<Void> unlink(Session session) {
        synchronized (session) {
            if (!sessions(session.tenant).remove(session.id, session)) {
                return CompletableFuture.completedFuture(null);
            }
            counts.computeIfAbsent(session.tenant, t -> new AtomicInteger()).decrementAndGet();
            return journal.append(deleteRecord(session));
        }
    }

    /** Live sessions per tenant (a copy, for a metrics scrape). */
    public Map<String, Integer> liveByTenant() {
        Map<String, Integer> byTenant = new java.util.HashMap<>();
        counts.forEach((tenant, count) -> byTenant.put(tenant, count.get()));
        return byTenant;
    }

    public int liveCount() {
        int n = 0;
        for (AtomicInteger count : counts.values()) {
            n += count.get();
        }
        return n;
    }

    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[10];
        id[0] = 's';
        id[1] = 'e';
        for (int i = 2; i < id.length; i++) {
            id[i] = ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)];
        }
        return new String(id);
    }

    // ---- replay and snapshots ----

    public void restore(
            String tenant, String id, long incarnation, long generation, int timeout, Map<String, String> metadata) {
        incarnations.accumulateAndGet(incarnation, Math::max);
        ConcurrentSkipListMap<String, Session> sessions = sessions(tenant);
        Session existing = sessions.get(id);
        if (existing != null && existing.incarnation == incarnation) {
            existing.update(timeout, metadata);
            return;
        }
        Session session = new Session(
                this,
                tenant,
                id,
                incarnation,
                timeout,
                metadata,
                generation,
                false,
                clock.getAsLong() + timeout * 1000L);
        if (sessions.put(id, session) == null) {
            counts.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
        }
    }

    public void restoreDelete(String tenant, String id, long incarnation) {
        ConcurrentSkipListMap<String, Session> sessions = sessions(tenant);
        Session existing = sessions.get(id);
        if (existing != null && existing.incarnation == incarnation && sessions.remove(id, existing)) {
            counts.computeIfAbsent(tenant, t -> new AtomicInteger()).decrementAndGet();
        }
    }

    public void armRestored() {
        tenants.values().forEach(sessions -> sessions.values().forEach(s -> expiry.schedule(s, s.deadline())));
    }

    public void snapshot(Consumer<byte[]> out) {
        tenants.values()
                .forEach(sessions -> sessions.values().forEach(session -> {
                    synchronized (session) {
                        if (!session.dead()) {
                            out.accept(putRecord(session, session.generation()));
                        }
                    }
                }));
    }

    private static byte[] putRecord(Session session, long generation) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("{\"op\":\"session.put\",\"tenant\":");
        JsonText.string(sb, session.tenant);
        sb.append(",\"incarnation\":")
                .append(session.incarnation)
                .append(",\"generation\":")
                .append(generation)
                .append(",\"session\":")
                .append(session.jsonHead())
                .append("}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] deleteRecord(Session session) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"op\":\"session.delete\",\"tenant\":");
        JsonText.string(sb, session.tenant);
        sb.append(",\"id\":");
        JsonText.string(sb, session.id);
        sb.append(",\"incarnation\":").append(session.incarnation).append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
