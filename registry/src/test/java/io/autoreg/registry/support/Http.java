package io.autoreg.registry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny JSON client over java.net.http for in-process tests. */
public final class Http {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private String token;

  public Http(String base) { this.base = base; }

  public Http token(String token) { this.token = token; return this; }

  /** A response with its body parsed as JSON (null when empty). */
  public record Response(int status, JsonNode json, HttpResponse<String> raw) {
    public String header(String name) { return raw.headers().firstValue(name).orElse(null); }
  }

  public Response get(String path) { return send("GET", path, null); }
  public Response post(String path, String json) { return send("POST", path, json); }
  public Response put(String path, String json) { return send("PUT", path, json); }
  public Response delete(String path) { return send("DELETE", path, null); }

  public Response send(String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(70));
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      boolean isJson = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
      JsonNode node = r.body().isEmpty() || !isJson ? null : MAPPER.readTree(r.body());
      return new Response(r.statusCode(), node, r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
