package io.autoreg.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Executors;

/**
 * A plain HTTP service that knows nothing about registration: the demo and the end-to-end tests run
 * it under the agent (or beside the sidecar) to show that autoreg needs no code change.
 *
 * <p>Like most servers it binds the wildcard address ({@code --port 0} picks a free port), serves
 * {@code /} and {@code /health}, prints one line with its port once it listens, and stops on SIGTERM.
 */
public final class SampleApp {

    private SampleApp() {}

    public static void main(String[] args) throws IOException {
        SampleAppOptions options = SampleAppOptions.parse(args);
        HttpServer server = HttpServer.create(new InetSocketAddress(options.port()), 64);
        server.createContext(
                "/",
                exchange -> respond(
                        exchange, 200, "{\"service\":\"" + options.name() + "\",\"time\":\"" + Instant.now() + "\"}"));
        server.createContext("/health", exchange -> respond(exchange, 200, "{\"status\":\"UP\"}"));
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "sample-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0), "sample-shutdown"));
        System.out.println("sample-app " + options.name() + " listening on port "
                + server.getAddress().getPort());
        System.out.flush();
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
