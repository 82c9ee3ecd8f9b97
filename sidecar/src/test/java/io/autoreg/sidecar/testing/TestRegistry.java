package io.autoreg.sidecar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.registry.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real registry server on a free loopback port with a temporary data directory, and a plain HTTP view of it. */
public final class TestRegistry implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final RegistryServer server;
    private final Path dataDir;
    private final String tenant;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public TestRegistry(String tenant) {
        this(tenant, null);
    }

    /** With server settings (keys under {@code autoreg.server}: users, tokens, quotas), or null for an open registry. */
    public TestRegistry(String tenant, String serverHocon) {
        try {
            this.tenant = tenant;
            this.dataDir = Files.createTempDirectory("autoreg-sidecar-registry");
            RegistryServer.Builder builder = RegistryServer.builder();
            if (serverHocon != null) {
                builder.config(serverHocon);
            }
            this.server =
                    builder.port(0).bind("127.0.0.1").dataDir(dataDir).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tenant base URL the sidecar is given: {@code http://127.0.0.1:P/v1.0/TENANT}. */
    public String url() {
        return server.baseUrl() + "/v1.0/" + tenant;
    }

    /** The ids of {@code GET /services} (one page is plenty for a test). */
    public List<String> serviceIds() {
        List<String> ids = new ArrayList<>();
        get("/services?limit=1000")
                .path("values")
                .forEach(service -> ids.add(service.path("id").asText()));
        return ids;
    }

    public boolean hasService(String id) {
        return serviceIds().contains(id);
    }

    public JsonNode service(String id) {
        return get("/services/" + id);
    }

    public JsonNode get(String path) {
        return json(exchange("GET", path, null).body());
    }

    /** A JSON request; answers the body (an empty object for none), failing unless the status is 2xx. */
    public JsonNode call(String method, String path, String json) {
        HttpResponse<String> response = exchange(method, path, json);
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body().isEmpty() ? MAPPER.createObjectNode() : json(response.body());
    }

    /** A JSON request; answers the status code. */
    public int send(String method, String path, String json) {
        return exchange(method, path, json).statusCode();
    }

    /** {@code method path} under the tenant with {@code json} as its body (none for null), whatever its status. */
    private HttpResponse<String> exchange(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (!method.equals("GET")) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
