package io.autoreg.registry.limits;

import java.time.Duration;

/**
 * Per-tenant resource quotas and request-rate budgets (docs/api.md §6). Reads (GET) and writes (everything
 * else) have budgets of their own per window; heartbeats count against neither.
 */
public record Quotas(
        int services,
        int sessions,
        int configurationValues,
        long readsPerWindow,
        long writesPerWindow,
        Duration rateWindow) {}
