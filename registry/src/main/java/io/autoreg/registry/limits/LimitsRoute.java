package io.autoreg.registry.limits;

import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Metering;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;

/**
 * GET /v1.0/{tenant}/limits (docs/api.md §6). The rate map has one entry per budget, keyed like the original's
 * path patterns but with the methods that count against it: {@code "GET /.*"} for reads and
 * {@code "POST|PUT|DELETE /.*"} for writes (heartbeats count against neither).
 */
public final class LimitsRoute implements Route {
    private final Quotas quotas;
    private final RateLimiter rateLimiter;

    public LimitsRoute(Quotas quotas, RateLimiter rateLimiter) {
        this.quotas = quotas;
        this.rateLimiter = rateLimiter;
    }

    @Override
    public Reply handle(Call call) {
        call.requireGetOfCollection();
        String window = RateLimiter.describe(quotas.rateWindow().toMillis());
        return Reply.ok("{\"resource\":{\"service\":" + quotas.services() + ",\"session\":" + quotas.sessions()
                + ",\"configuration_value\":" + quotas.configurationValues() + "},\"rate\":{"
                + rate("GET /.*", quotas.readsPerWindow(), rateLimiter.used(call.tenant(), Metering.READ), window) + ","
                + rate(
                        "POST|PUT|DELETE /.*",
                        quotas.writesPerWindow(),
                        rateLimiter.used(call.tenant(), Metering.WRITE),
                        window)
                + "}}");
    }

    private static String rate(String pattern, long limit, long used, String window) {
        return "\"" + pattern + "\":{\"limit\":" + limit + ",\"used\":" + used + ",\"window\":\"" + window + "\"}";
    }
}
