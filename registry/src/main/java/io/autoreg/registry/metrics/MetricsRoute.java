package io.autoreg.registry.metrics;

import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

/** GET /metrics in the Prometheus text format. */
public final class MetricsRoute implements Route {
    private final Metrics metrics;

    public MetricsRoute(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Reply handle(Call call) {
        if (!call.method().equals(Methods.GET)) {
            throw call.methodNotAllowed();
        }
        call.exchange().getResponseHeaders().put(Headers.CONTENT_TYPE, metrics.contentType());
        call.exchange().getResponseSender().send(java.nio.ByteBuffer.wrap(metrics.render()));
        return null;
    }
}
