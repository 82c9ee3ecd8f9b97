package io.autoreg.registry.http;

import io.undertow.util.Methods;
import java.util.function.BooleanSupplier;

/**
 * GET /readyz: 200 once the store has been recovered (journal and snapshot replayed, leases re-armed) and its
 * journal accepts writes, else 503. Unlike /healthz (is the process serving at all) this is what a load balancer
 * or a Kubernetes readiness probe should wait for before sending clients.
 */
public final class ReadyRoute implements Route {
    private final BooleanSupplier recovered;
    private final BooleanSupplier healthy;

    public ReadyRoute(BooleanSupplier recovered, BooleanSupplier healthy) {
        this.recovered = recovered;
        this.healthy = healthy;
    }

    @Override
    public Reply handle(Call call) {
        if (!call.method().equals(Methods.GET) && !call.method().equals(Methods.HEAD)) {
            throw call.methodNotAllowed();
        }
        if (!recovered.getAsBoolean() || !healthy.getAsBoolean()) {
            throw ApiError.unavailable();
        }
        return Reply.ok("{\"status\":\"ready\"}");
    }
}
