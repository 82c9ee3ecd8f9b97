package io.autoreg.registry.http;

import io.undertow.server.HttpServerExchange;

/** Authentication, tenant isolation and the request-rate limit, checked before a route runs. */
public interface Access {
  /**
   * Throws {@link ApiError} (401, 403, 429 rateLimitReached) unless the caller may act on {@code tenant}
   * now; {@code metering} says which budget the request counts against, if any.
   */
  void checkTenant(HttpServerExchange exchange, String tenant, Metering metering);

  /** For tenant-less dialects (Registro): any valid credential, or none in open mode. */
  void checkAny(HttpServerExchange exchange);
}
