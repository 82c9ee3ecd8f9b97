package io.autoreg.registry.configuration;

import io.autoreg.registry.events.EventLog;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.JsonText;
import io.autoreg.registry.limits.Quotas;
import io.autoreg.registry.store.Journal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Configuration values per tenant. Writes of one tenant are serialised on the tenant's map so the
 * journal sees them in the order memory did (config writes are rare; reads take no lock).
 */
public final class ConfigurationStore {
    private final Map<String, ConcurrentSkipListMap<String, String>> tenants = new ConcurrentHashMap<>();
    private final Journal journal;
    private final EventLog events;
    private final LongSupplier clock;
    private final Supplier<Quotas> quotas;

    public ConfigurationStore(Journal journal, EventLog events, LongSupplier clock, Supplier<Quotas> quotas) {
        this.journal = journal;
        this.events = events;
        this.clock = clock;
        this.quotas = quotas;
    }

    public ConcurrentSkipListMap<String, String> values(String tenant) {
        return tenants.computeIfAbsent(tenant, t -> new ConcurrentSkipListMap<>());
    }

    public String get(String tenant, String id) {
        String value = values(tenant).get(id);
        if (value == null) {
            throw ApiError.notFound("ConfigurationValue", id);
        }
        return value;
    }

    /** Creates or overwrites; only a change writes an event. */
    public CompletableFuture<Void> put(String tenant, String id, String value) {
        return journal.together(() -> store(tenant, id, value));
    }

    private CompletableFuture<Void> store(String tenant, String id, String value) {
        ConcurrentSkipListMap<String, String> values = values(tenant);
        synchronized (values) {
            String old = values.get(id);
            if (value.equals(old)) {
                return CompletableFuture.completedFuture(null);
            }
            if (old == null && values.size() >= quotas.get().configurationValues()) {
                throw ApiError.quotaReached(
                        quotas.get().configurationValues(),
                        "configuration values",
                        "autoreg.server.quotas.configuration-value");
            }
            values.put(id, value);
            CompletableFuture<Void> stored = journal.append(putRecord(tenant, id, value));
            StringBuilder payload = new StringBuilder(64 + id.length() + value.length());
            payload.append("{\"configuration_value_id\":");
            JsonText.string(payload, id);
            payload.append(",\"old_value\":");
            JsonText.string(payload, old);
            payload.append(",\"new_value\":");
            JsonText.string(payload, value);
            payload.append('}');
            return CompletableFuture.allOf(
                    stored, events.append(tenant, EventLog.CONFIG_UPDATE, clock.getAsLong(), payload.toString()));
        }
    }

    public CompletableFuture<Void> delete(String tenant, String id) {
        return journal.together(() -> remove(tenant, id));
    }

    private CompletableFuture<Void> remove(String tenant, String id) {
        ConcurrentSkipListMap<String, String> values = values(tenant);
        synchronized (values) {
            String old = values.remove(id);
            if (old == null) {
                throw ApiError.notFound("ConfigurationValue", id);
            }
            CompletableFuture<Void> stored = journal.append(deleteRecord(tenant, id));
            StringBuilder payload = new StringBuilder(64 + id.length() + old.length());
            payload.append("{\"configuration_value_id\":");
            JsonText.string(payload, id);
            payload.append(",\"old_value\":");
            JsonText.string(payload, old);
            payload.append('}');
            return CompletableFuture.allOf(
                    stored, events.append(tenant, EventLog.CONFIG_REMOVE, clock.getAsLong(), payload.toString()));
        }
    }

    public void restore(String tenant, String id, String value) {
        values(tenant).put(id, value);
    }

    public void restoreDelete(String tenant, String id) {
        values(tenant).remove(id);
    }

    public void snapshot(Consumer<byte[]> out) {
        tenants.forEach((tenant, values) -> values.forEach((id, value) -> out.accept(putRecord(tenant, id, value))));
    }

    private static byte[] putRecord(String tenant, String id, String value) {
        StringBuilder sb = new StringBuilder(64 + id.length() + value.length());
        sb.append("{\"op\":\"config.put\",\"tenant\":");
        JsonText.string(sb, tenant);
        sb.append(",\"id\":");
        JsonText.string(sb, id);
        sb.append(",\"value\":");
        JsonText.string(sb, value);
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] deleteRecord(String tenant, String id) {
        StringBuilder sb = new StringBuilder(64 + id.length());
        sb.append("{\"op\":\"config.delete\",\"tenant\":");
        JsonText.string(sb, tenant);
        sb.append(",\"id\":");
        JsonText.string(sb, id);
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
