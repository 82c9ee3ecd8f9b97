package io.autoreg.registry.registro;

import io.autoreg.registry.expiry.ExpiryScheduler;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.log.ActivityLog;
import io.autoreg.registry.store.Journal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** The Registro dialect's apps and instances (docs/api.md §9), journaled like the rest. Renewals stay in memory. */
public final class RegistroStore {
    private final ConcurrentSkipListMap<String, ConcurrentSkipListMap<String, RegistroInstance>> apps =
            new ConcurrentSkipListMap<>();
    private final Journal journal;
    private final ExpiryScheduler expiry;
    private final LongSupplier clock;
    private final ActivityLog log;

    public RegistroStore(Journal journal, ExpiryScheduler expiry, LongSupplier clock, ActivityLog log) {
        this.log = log;
        this.journal = journal;
        this.expiry = expiry;
        this.clock = clock;
    }

    ConcurrentSkipListMap<String, ConcurrentSkipListMap<String, RegistroInstance>> apps() {
        return apps;
    }

    ConcurrentSkipListMap<String, RegistroInstance> app(String name) {
        ConcurrentSkipListMap<String, RegistroInstance> app = apps.get(name);
        if (app == null) {
            throw ApiError.notFound("Application", name);
        }
        return app;
    }

    RegistroInstance instance(String app, String id) {
        RegistroInstance instance = app(app).get(id);
        if (instance == null || !instance.visibleAt(clock.getAsLong())) {
            throw ApiError.notFound("Instance", id);
        }
        return instance;
    }

    CompletableFuture<Void> createApp(String name) {
        synchronized (apps) {
            if (apps.putIfAbsent(name, new ConcurrentSkipListMap<>()) != null) {
                throw new ApiError(
                        409, "conflict", "Application exists", "Application \"" + name + "\" already exists");
            }
            return journal.append(appRecord(name));
        }
    }

    CompletableFuture<Void> register(String app, String id, String ip, int port) {
        ConcurrentSkipListMap<String, RegistroInstance> instances = app(app);
        long now = clock.getAsLong();
        RegistroInstance instance = new RegistroInstance(this, app, id, ip, port, "starting", now);
        synchronized (instances) {
            RegistroInstance existing = instances.get(id);
            // An out-of-service instance was taken out by its owner's DELETE: it is kept only so readers see
            // it leaving, and nothing can renew it (403). A process that comes back under the same id
            // registers anew and replaces it at once instead of waiting out the 10 minutes. Any other
            // status is a live claim on the id (409); a down one is taken over by renewing it (PUT).
            if (existing != null
                    && existing.visibleAt(now)
                    && !existing.storedStatus().equals("out-of-service")) {
                throw new ApiError(409, "conflict", "Instance exists", "Instance \"" + id + "\" already exists");
            }
            instances.put(id, instance);
            CompletableFuture<Void> durable = journal.append(instanceRecord(instance));
            expiry.schedule(instance, instance.removeAt());
            log.info("registro.register", "app", app, "id", id, "address", ip + ":" + port);
            return durable;
        }
    }

    void renew(String app, String id) {
        if (!instance(app, id).renew(clock.getAsLong())) {
            throw new ApiError(403, "forbiddenError", "Forbidden", "Instance \"" + id + "\" is out of service");
        }
    }

    CompletableFuture<Void> outOfService(String app, String id) {
        RegistroInstance instance = instance(app, id);
        ConcurrentSkipListMap<String, RegistroInstance> instances = app(app);
        synchronized (instances) {
            instance.outOfService();
            log.info("registro.deregister", "app", app, "id", id);
            return journal.append(instanceRecord(instance));
        }
    }

    void expired(RegistroInstance instance) {
        ConcurrentSkipListMap<String, RegistroInstance> instances = apps.get(instance.app);
        if (instances == null || !instance.markRemoved()) {
            return;
        }
        synchronized (instances) {
            if (instances.remove(instance.id, instance)) {
                journal.append(removeRecord(instance.app, instance.id));
                log.info("registro.expire", "app", instance.app, "id", instance.id);
            }
        }
    }

    // ---- replay and snapshots ----

    public void restoreApp(String name) {
        apps.putIfAbsent(name, new ConcurrentSkipListMap<>());
    }

    /** A restored instance counts as just renewed: the restart must not make it look down or remove it. */
    public void restoreInstance(String app, String id, String ip, int port, String status) {
        restoreApp(app);
        apps.get(app).put(id, new RegistroInstance(this, app, id, ip, port, status, clock.getAsLong()));
    }

    public void restoreRemove(String app, String id) {
        var instances = apps.get(app);
        if (instances != null) {
            instances.remove(id);
        }
    }

    public void armRestored() {
        apps.values().forEach(instances -> instances.values().forEach(i -> expiry.schedule(i, i.removeAt())));
    }

    public void snapshot(Consumer<byte[]> out) {
        apps.forEach((name, instances) -> {
            out.accept(appRecord(name));
            instances.values().forEach(i -> out.accept(instanceRecord(i)));
        });
    }

    private static byte[] appRecord(String name) {
        StringBuilder sb = new StringBuilder(64).append("{\"op\":\"registro.app\",\"name\":");
        JsonText.string(sb, name);
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] instanceRecord(RegistroInstance i) {
        StringBuilder sb = new StringBuilder(128).append("{\"op\":\"registro.instance\",\"app\":");
        JsonText.string(sb, i.app);
        sb.append(",\"id\":");
        JsonText.string(sb, i.id);
        sb.append(",\"ip\":");
        JsonText.string(sb, i.ip);
        sb.append(",\"port\":")
                .append(i.port)
                .append(",\"status\":\"")
                .append(i.storedStatus())
                .append("\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] removeRecord(String app, String id) {
        StringBuilder sb = new StringBuilder(64).append("{\"op\":\"registro.remove\",\"app\":");
        JsonText.string(sb, app);
        sb.append(",\"id\":");
        JsonText.string(sb, id);
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
