package io.autoreg.registry.dashboard;

import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.undertow.util.Methods;

/**
 * GET /dashboard/info: what the page cannot learn from the tenant API, namely whether the server runs open (any
 * token, any tenant), so that it can say so in a banner. Public, like /healthz: whether auth is on is no secret
 * to anyone who can send a request without a token.
 */
final class DashboardInfoRoute implements Route {
    private final String json;

    DashboardInfoRoute(boolean openMode) {
        this.json = "{\"open\":" + openMode + "}";
    }

    @Override
    public Reply handle(Call call) {
        if (!call.method().equals(Methods.GET)) {
            throw call.methodNotAllowed();
        }
        return Reply.ok(json);
    }
}
