package io.autoreg.registry.auth;

import io.autoreg.registry.ServerSettings.RegistroAccess;
import io.autoreg.registry.http.Access;
import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Metering;
import io.autoreg.registry.limits.RateLimiter;
import io.autoreg.registry.log.ActivityLog;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.Map;

/**
 * X-Auth-Token checks: static per-tenant tokens and tokens issued by /v2.0/tokens; in open mode any
 * token (or none) for any tenant. Every tenant-scoped request but a heartbeat also counts against the
 * tenant's read or write budget.
 */
public final class TokenAccess implements Access {
    private final ActivityLog log;
    public static final HttpString AUTH_TOKEN = new HttpString("X-Auth-Token");
    private final boolean open;
    private final Map<String, String> staticTokens;
    private final IssuedTokens issued;
    private final RateLimiter rateLimiter;
    private final RegistroAccess registro;

    public TokenAccess(
            boolean open,
            Map<String, String> staticTokens,
            IssuedTokens issued,
            RateLimiter rateLimiter,
            RegistroAccess registro,
            ActivityLog log) {
        this.log = log;
        this.open = open;
        this.staticTokens = Map.copyOf(staticTokens);
        this.issued = issued;
        this.rateLimiter = rateLimiter;
        this.registro = registro;
    }

    @Override
    public void checkTenant(HttpServerExchange exchange, String tenant, Metering metering) {
        if (!open) {
            String granted = tenantOf(exchange);
            if (!granted.equals(tenant)) {
                refused(exchange, "forbidden", tenant);
                throw ApiError.forbidden();
            }
        }
        // After the credentials: a caller without them cannot use up a tenant's budget.
        rateLimiter.acquire(tenant, metering);
    }

    @Override
    public void checkRegistro(HttpServerExchange exchange, Metering metering) {
        String tenant = registro.tenant();
        if (!open) {
            String token = exchange.getRequestHeaders().getFirst(AUTH_TOKEN);
            boolean tokenless = token == null || token.isEmpty();
            // Registro's own clients send no token: let in as the configured tenant only when told to. A request
            // that does carry a token is checked like any other, so a wrong token is still a 401.
            if (!tokenless || registro.requireToken()) {
                String granted = tenantOf(exchange);
                if (tenant != null && !granted.equals(tenant)) {
                    refused(exchange, "forbidden", tenant);
                    throw ApiError.forbidden();
                }
                tenant = granted;
            }
        }
        if (tenant != null) {
            rateLimiter.acquire(tenant, metering);
        }
    }

    private String tenantOf(HttpServerExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst(AUTH_TOKEN);
        if (token == null || token.isEmpty()) {
            refused(exchange, "missing-token", null);
            throw ApiError.unauthorized("The X-Auth-Token header is missing");
        }
        String tenant = staticTokens.get(token);
        if (tenant == null) {
            tenant = issued.tenantOf(token);
        }
        if (tenant == null) {
            refused(exchange, "unknown-token", null);
            throw ApiError.unauthorized("The token is unknown or has expired");
        }
        return tenant;
    }

    /** The log line of a refused request: never the token itself, which might be a real one mistyped. */
    private void refused(HttpServerExchange exchange, String reason, String tenant) {
        log.authFailure(
                "reason",
                reason,
                "tenant",
                tenant,
                "method",
                exchange.getRequestMethod().toString(),
                "path",
                exchange.getRequestPath(),
                "client",
                exchange.getSourceAddress().getAddress().getHostAddress());
    }
}
