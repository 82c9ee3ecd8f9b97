package io.autoreg.sidecar.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sidecar's own {@code /healthz} and {@code /metrics}. The JDK server is enough here: an
 * orchestrator probe and a scrape every few seconds (the registry, which takes real load, uses Undertow).
 *
 * <p>{@code /healthz} answers 200 while the sidecar runs, whatever the neighbours' health: the kubelet
 * restarts a container whose liveness fails, and restarting the sidecar would not heal a sick
 * neighbour; the neighbours' states are in the body and in {@code /metrics}.
 */
final class SidecarHttpServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<NeighbourWatcher> watchers;

    SidecarHttpServer(String address, int port, List<NeighbourWatcher> watchers, SidecarMetrics metrics)
            throws IOException {
        this.watchers = List.copyOf(watchers);
        this.server = HttpServer.create(new InetSocketAddress(address, port), 16);
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "autoreg-sidecar-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(
                "/healthz",
                exchange -> respond(exchange, "application/json", healthz().getBytes(StandardCharsets.UTF_8)));
        server.createContext("/metrics", exchange -> respond(exchange, metrics.contentType(), metrics.render()));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private String healthz() {
        ObjectNode body = MAPPER.createObjectNode().put("status", "UP");
        ObjectNode checks = body.putObject("checks");
        for (NeighbourWatcher watcher : watchers) {
            NeighbourWatcher.Snapshot s = watcher.snapshot();
            checks.putObject(s.neighbour().instance().id())
                    .put("target", s.neighbour().check().target())
                    .put("healthy", s.healthy())
                    .put("last", s.last().detail())
                    .put(
                            "registration",
                            s.registration() == null ? "NONE" : s.registration().name());
        }
        return body.toString();
    }

    private static void respond(HttpExchange exchange, String contentType, byte[] bytes) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, "HEAD".equals(exchange.getRequestMethod()) ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
