package io.autoreg.registry.limits;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * Each tenant's quotas as gauges, so that use is one division away: for example
 * {@code autoreg_tenant_live_services / on() group_left autoreg_quota_limit{resource="services"}}.
 */
public final class QuotaMetrics {
    private QuotaMetrics() {}

    public static void register(PrometheusRegistry registry, Supplier<Quotas> quotas) {
        GaugeWithCallback.builder()
                .name("autoreg_quota_limit")
                .help("Per-tenant quota of each resource (services, sessions, configuration values) and request budget"
                        + " per rate window (reads, writes).")
                .labelNames("resource")
                .callback(cb -> {
                    Quotas q = quotas.get();
                    cb.call(q.services(), "services");
                    cb.call(q.sessions(), "sessions");
                    cb.call(q.configurationValues(), "configuration_values");
                    cb.call(q.readsPerWindow(), "reads");
                    cb.call(q.writesPerWindow(), "writes");
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("autoreg_rate_limit_window_seconds")
                .help("Length of the rate limit's fixed window.")
                .callback(cb -> cb.call(quotas.get().rateWindow().toMillis() / 1000.0))
                .register(registry);
    }
}
