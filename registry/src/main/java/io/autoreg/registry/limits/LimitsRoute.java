package io.autoreg.registry.limits;

import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;

/** GET /v1.0/{tenant}/limits (spec §6). */
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
    return Reply.ok("{\"resource\":{\"service\":" + quotas.services() + ",\"session\":" + quotas.sessions()
        + ",\"configuration_value\":" + quotas.configurationValues() + "},\"rate\":{\"/.*\":{\"limit\":"
        + quotas.requestsPerWindow() + ",\"used\":" + rateLimiter.used(call.tenant()) + ",\"window\":\""
        + RateLimiter.describe(quotas.rateWindow().toMillis()) + "\"}}}");
  }
}
