package io.autoreg.registry.http;

import io.undertow.server.HttpServerExchange;

/** Authentication, tenant isolation and the request-rate limit, checked before a route runs. */
public interface Access {
    /**
     * Throws {@link ApiError} (401, 403, 429 rateLimitReached) unless the caller may act on {@code tenant}
     * now; {@code metering} says which budget the request counts against, if any.
     */
    void checkTenant(HttpServerExchange exchange, String tenant, Metering metering);

    /**
     * For the Registro dialect, which has no tenant in its paths: the credential its settings ask for (a token
     * of its tenant, any valid token, or none when tokenless clients are let in), nothing in open mode; then
     * the request counts against that tenant's {@code metering} budget when a tenant is known.
     */
    void checkRegistro(HttpServerExchange exchange, Metering metering);
}
