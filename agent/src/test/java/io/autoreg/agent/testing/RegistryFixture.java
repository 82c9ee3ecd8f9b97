package io.autoreg.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autoreg.registry.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The real registry server, in process, on a loopback port, with a throw-away data directory; and a
 * small reader of its {@code /v1.0/default} API for assertions.
 */
public final class RegistryFixture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private RegistryServer server;
    private Path dataDir;

    private RegistryFixture(int port) {
        this.port = port;
    }

    /** Started on a free port. */
    public static RegistryFixture start() {
        RegistryFixture fixture = new RegistryFixture(0);
        fixture.startServer(0);
        return fixture;
    }

    /** Not started yet: reserves a free port so that apps can be pointed at it before it comes up. */
    public static RegistryFixture onFreePortNotStarted() {
        return new RegistryFixture(freePort());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts (again) on the reserved port, with a fresh, empty data directory (all state lost). */
    public synchronized void startWithFreshState() {
        startServer(port);
    }

    private void startServer(int onPort) {
        try {
            dataDir = Files.createTempDirectory("autoreg-registry-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = RegistryServer.builder()
                .port(onPort)
                .bind("127.0.0.1")
                .dataDir(dataDir)
                .build()
                .start();
    }

    public synchronized int port() {
        return server != null ? server.port() : port;
    }

    /** The agent's {@code autoreg.registry.url}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + port() + "/v1.0/default";
    }

    public List<JsonNode> services() {
        JsonNode body = get("/services?limit=1000");
        List<JsonNode> out = new ArrayList<>();
        body.path("values").forEach(out::add);
        return out;
    }

    /** The services whose metadata names this service (the agent puts the name in the id). */
    public List<JsonNode> servicesNamed(String name) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode service : services()) {
            if (service.path("id").asText().startsWith(name + "-")) {
                out.add(service);
            }
        }
        return out;
    }

    /** The ports of the services {@link #servicesNamed} finds (their {@code metadata.port}), in order. */
    public Set<Integer> portsNamed(String name) {
        Set<Integer> ports = new TreeSet<>();
        for (JsonNode service : servicesNamed(name)) {
            ports.add(service.path("metadata").path("port").asInt());
        }
        return ports;
    }

    public Optional<JsonNode> serviceNamed(String name) {
        List<JsonNode> found = servicesNamed(name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Events of one type about services whose id starts with {@code name-}. */
    public List<JsonNode> events(String type, String name) {
        JsonNode body = get("/events?limit=1000&type=" + type);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode event : body.path("values")) {
            if (event.path("payload").path("id").asText().startsWith(name + "-")) {
                out.add(event);
            }
        }
        return out;
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(apiUrl() + path))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Stops the server (state on disk is kept until {@link #close()}). */
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
