package io.autoreg.registry.http;

import io.undertow.util.Methods;

/** GET /healthz: the server is up and its journal accepts writes. */
public final class HealthRoute implements Route {
    private final java.util.function.BooleanSupplier healthy;

    public HealthRoute(java.util.function.BooleanSupplier healthy) {
        this.healthy = healthy;
    }

    @Override
    public Reply handle(Call call) {
        if (!call.method().equals(Methods.GET) && !call.method().equals(Methods.HEAD)) {
            throw call.methodNotAllowed();
        }
        if (!healthy.getAsBoolean()) {
            throw ApiError.unavailable();
        }
        return Reply.ok("{\"status\":\"ok\"}");
    }
}
