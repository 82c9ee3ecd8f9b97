package io.autoreg.registry.limits;

/** Per-tenant resource quotas and the request-rate limit (spec §6). */
public record Quotas(int services, int sessions, int configurationValues, long requestsPerWindow,
                     java.time.Duration rateWindow) {
  public static Quotas defaults() {
    return new Quotas(200, 100, 1000, 500_000, java.time.Duration.ofHours(24));
  }
}
