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
import java.util.Locale;
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
    private final long startedMillis = System.currentTimeMillis();

    SidecarHttpServer(String address, int port, List<NeighbourWatcher> watchers) throws IOException {
        this.watchers = List.copyOf(watchers);
        this.server = HttpServer.create(new InetSocketAddress(address, port), 16);
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "autoreg-sidecar-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/healthz", exchange -> respond(exchange, "application/json", healthz()));
        server.createContext("/metrics", exchange -> respond(exchange, "text/plain; version=0.0.4; charset=utf-8", metrics()));
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
                    .put("registration", s.registration() == null ? "NONE" : s.registration().name());
        }
        return body.toString();
    }

    /** Prometheus text format 0.0.4. */
    private String metrics() {
        StringBuilder text = new StringBuilder();
        text.append("# HELP autoreg_sidecar_neighbour_healthy 1 while the neighbour passes its check (after rise)\n")
                .append("# TYPE autoreg_sidecar_neighbour_healthy gauge\n");
        List<NeighbourWatcher.Snapshot> snapshots = watchers.stream().map(NeighbourWatcher::snapshot).toList();
        snapshots.forEach(s -> line(text, "autoreg_sidecar_neighbour_healthy", s, "", s.healthy() ? 1 : 0));
        text.append("# HELP autoreg_sidecar_neighbour_registered 1 while the registry holds the neighbour\n")
                .append("# TYPE autoreg_sidecar_neighbour_registered gauge\n");
        snapshots.forEach(s -> line(text, "autoreg_sidecar_neighbour_registered", s, "", s.registered() ? 1 : 0));
        text.append("# HELP autoreg_sidecar_checks_total probes run, by result\n")
                .append("# TYPE autoreg_sidecar_checks_total counter\n");
        snapshots.forEach(s -> {
            line(text, "autoreg_sidecar_checks_total", s, ",result=\"pass\"", s.passes());
            line(text, "autoreg_sidecar_checks_total", s, ",result=\"fail\"", s.failures());
        });
        text.append("# HELP autoreg_sidecar_transitions_total registrations and deregistrations caused by checks\n")
                .append("# TYPE autoreg_sidecar_transitions_total counter\n");
        snapshots.forEach(s -> {
            line(text, "autoreg_sidecar_transitions_total", s, ",to=\"registered\"", s.registrations());
            line(text, "autoreg_sidecar_transitions_total", s, ",to=\"deregistered\"", s.deregistrations());
        });
        text.append("# HELP autoreg_sidecar_uptime_seconds seconds since the sidecar started\n")
                .append("# TYPE autoreg_sidecar_uptime_seconds gauge\n")
                .append("autoreg_sidecar_uptime_seconds ")
                .append(String.format(Locale.ROOT, "%.3f", (System.currentTimeMillis() - startedMillis) / 1000.0))
                .append('\n');
        return text.toString();
    }

    private static void line(StringBuilder text, String metric, NeighbourWatcher.Snapshot s, String extraLabels, long value) {
        text.append(metric).append("{id=\"").append(escape(s.neighbour().instance().id()))
                .append("\",name=\"").append(escape(s.neighbour().instance().name())).append('"')
                .append(extraLabels).append("} ").append(value).append('\n');
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void respond(HttpExchange exchange, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
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
