package io.autoreg.registry.dashboard;

import io.autoreg.registry.http.Call;
import io.autoreg.registry.http.Reply;
import io.autoreg.registry.http.Route;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** GET /: a small HTML page over the API (services, sessions, recent events); no build step. */
public final class DashboardRoute implements Route {
  private final String html;

  public DashboardRoute() {
    try (InputStream in = DashboardRoute.class.getResourceAsStream("/io/autoreg/registry/dashboard.html")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.html is missing from the jar");
      }
      html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Reply handle(Call call) {
    if (!call.method().equals(Methods.GET)) {
      throw call.methodNotAllowed();
    }
    call.exchange().getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=UTF-8");
    call.exchange().getResponseSender().send(html);
    return null;
  }
}
