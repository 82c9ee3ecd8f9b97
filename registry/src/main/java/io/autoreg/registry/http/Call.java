package io.autoreg.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.Deque;
import java.util.List;

/** One API request as routes see it: method, tenant, remaining path segments, query and parsed body. */
public final class Call {
  private final HttpServerExchange exchange;
  private final String tenant;
  private final List<String> segments;
  private final String rawPath;
  private JsonNode body;

  public Call(HttpServerExchange exchange, String tenant, List<String> segments, String rawPath) {
    this.exchange = exchange;
    this.tenant = tenant;
    this.segments = segments;
    this.rawPath = rawPath;
  }

  public HttpServerExchange exchange() { return exchange; }
  public HttpString method() { return exchange.getRequestMethod(); }
  public String tenant() { return tenant; }
  /** Path segments after the tenant (or after the dialect prefix). */
  public List<String> segments() { return segments; }
  /** The decoded path after the tenant's resource name, for configuration ids that contain '/'. */
  public String rawPath() { return rawPath; }

  public JsonNode body() {
    if (body == null) {
      throw ApiError.badRequest("Invalid JSON", "The request body is empty");
    }
    return body;
  }

  void body(JsonNode body) { this.body = body; }

  public String query(String name) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  /** The absolute base of this server as the client addressed it, for Location and next_href. */
  public String base() {
    return exchange.getRequestScheme() + "://" + exchange.getHostAndPort();
  }

  public String tenantBase() { return base() + "/v1.0/" + tenant; }
}
