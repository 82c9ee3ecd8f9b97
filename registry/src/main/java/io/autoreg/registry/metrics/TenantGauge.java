package io.autoreg.registry.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A per-tenant gauge with bounded cardinality: an open server accepts any tenant name, so only the
 * {@value #MAX_TENANTS} largest tenants get a series of their own and the rest are summed under
 * tenant="*" (as the rate limiter's metrics do).
 */
final class TenantGauge {
    static final int MAX_TENANTS = 1_000;
    static final String REST = "*";

    private TenantGauge() {}

    static void register(PrometheusRegistry registry, String name, String help, Supplier<Map<String, Integer>> counts) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help + " (the " + MAX_TENANTS + " largest tenants; tenant=\"*\": the others summed).")
                .labelNames("tenant")
                .callback(cb -> bounded(counts.get(), (tenant, n) -> cb.call(n, tenant)))
                .register(registry);
    }

    /** The {@value #MAX_TENANTS} largest non-zero counts by tenant, then the rest summed under {@value #REST}. */
    static void bounded(Map<String, Integer> counts, java.util.function.ObjLongConsumer<String> out) {
        List<Map.Entry<String, Integer>> tenants = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() != null && e.getValue() > 0) {
                tenants.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        long rest = 0;
        if (tenants.size() > MAX_TENANTS) {
            tenants.sort(
                    Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            for (Map.Entry<String, Integer> e : tenants.subList(MAX_TENANTS, tenants.size())) {
                rest += e.getValue();
            }
            tenants = tenants.subList(0, MAX_TENANTS);
        }
        for (Map.Entry<String, Integer> e : tenants) {
            out.accept(e.getKey(), e.getValue());
        }
        if (rest > 0) {
            out.accept(REST, rest);
        }
    }

    static long total(Map<String, Integer> counts) {
        long n = 0;
        for (Integer count : counts.values()) {
            n += count == null ? 0 : count;
        }
        return n;
    }
}
