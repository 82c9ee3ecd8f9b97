package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.autoreg.sidecar.testing.FreePorts;
import io.autoreg.sidecar.testing.Jars;
import io.autoreg.sidecar.testing.TestRegistry;
import io.autoreg.testing.Await;
import io.autoreg.testing.Child;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One sidecar, configured by a HOCON file with three neighbours, each its own registration: an HTTP
 * neighbour whose /health flips between 200, 503 and 200-with-DOWN; a TCP-only neighbour; and one
 * checked by a command. Each is taken out and put back on its own, the others untouched.
 */
class RunSeveralNeighboursIT {
    @TempDir
    static Path dir;

    private static TestRegistry registry;
    private static HttpServer flipping;
    private static final AtomicReference<String> health = new AtomicReference<>("200");
    private static int tcpPort;
    private static TcpNeighbour tcp;
    private static Path marker;
    private static Child sidecar;

    private static final String HTTP_ID = "flipper-1";
    private static final String TCP_ID = "cache-127.0.0.1-";
    private static final String EXEC_ID = "batch-1";

    @BeforeAll
    static void start() throws IOException {
        registry = new TestRegistry("sidecar-several");
        flipping = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        flipping.createContext("/health", exchange -> {
            String mode = health.get();
            int status = mode.equals("503") ? 503 : 200;
            byte[] body = (mode.equals("DOWN")
                            ? "{\"status\":\"DOWN\"}"
                            : mode.equals("503") ? "{\"status\":\"DOWN\"}" : "ok")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        flipping.start();
        tcpPort = FreePorts.next();
        tcp = new TcpNeighbour(tcpPort);
        marker = Files.writeString(dir.resolve("batch-ready"), "ready");
        Path config = Files.writeString(
                dir.resolve("sidecar.conf"),
                String.join(
                        "\n",
                        "autoreg {",
                        "  registry.url = \"" + registry.url() + "\"",
                        "  service { address = 127.0.0.1, tags = [sidecar-it] }",
                        "  heartbeat.timeout = 5s",
                        "  sidecar {",
                        "    check { interval = 300ms, timeout = 250ms, fall = 2 }",
                        "    checks = [",
                        "      { name = flipper, id = " + HTTP_ID + ", port = "
                                + flipping.getAddress().getPort() + ", path = /health, tags = [http] }",
                        "      { name = cache, type = tcp, port = " + tcpPort + " }",
                        "      { name = batch, id = " + EXEC_ID + ", type = exec, port = 9, command = [test, -f, \""
                                + marker + "\"] }",
                        "    ]",
                        "  }",
                        "}"));
        sidecar = Child.java(Jars.sidecar(), List.of("run", "--config", config.toString()), Map.of(), dir, "sidecar");
        Await.until(
                Duration.ofSeconds(15),
                "all three registered",
                () -> registry.serviceIds().containsAll(List.of(HTTP_ID, TCP_ID + tcpPort, EXEC_ID)));
    }

    @AfterAll
    static void stop() throws IOException {
        if (sidecar != null) {
            sidecar.terminate();
            sidecar.awaitExit(Duration.ofSeconds(10));
            sidecar.close();
        }
        flipping.stop(0);
        tcp.close();
        registry.close();
    }

    @Test
    void eachNeighbourIsItsOwnRegistrationWithItsPortTagsAndCheckType() {
        assertEquals(
                List.of(EXEC_ID, TCP_ID + tcpPort, HTTP_ID).stream().sorted().toList(),
                registry.serviceIds().stream().sorted().toList());
        assertEquals(
                String.valueOf(flipping.getAddress().getPort()),
                registry.service(HTTP_ID).path("metadata").path("port").asText());
        assertEquals(
                "[\"sidecar-it\",\"http\"]",
                registry.service(HTTP_ID).path("tags").toString());
        assertEquals(
                "tcp",
                registry.service(TCP_ID + tcpPort)
                        .path("metadata")
                        .path("check")
                        .asText());
        assertEquals(
                "exec", registry.service(EXEC_ID).path("metadata").path("check").asText());
    }

    @Test
    void anHttpNeighbourFlippingBetween200And503ComesAndGoes() {
        health.set("503");
        Await.until(Duration.ofSeconds(10), "503 deregisters", () -> !registry.hasService(HTTP_ID));
        assertTrue(registry.hasService(EXEC_ID) && registry.hasService(TCP_ID + tcpPort), "the others stay");
        health.set("200");
        Await.until(Duration.ofSeconds(10), "200 registers again", () -> registry.hasService(HTTP_ID));
        health.set("DOWN");
        Await.until(
                Duration.ofSeconds(10),
                "200 with {\"status\":\"DOWN\"} deregisters",
                () -> !registry.hasService(HTTP_ID));
        health.set("200");
        Await.until(Duration.ofSeconds(10), "registered again", () -> registry.hasService(HTTP_ID));
    }

    @Test
    void aTcpOnlyNeighbourIsDeregisteredWhenItStopsListeningAndBackWhenItListensAgain() throws IOException {
        tcp.close();
        Await.until(Duration.ofSeconds(10), "closed port deregisters", () -> !registry.hasService(TCP_ID + tcpPort));
        tcp = new TcpNeighbour(tcpPort);
        Await.until(Duration.ofSeconds(10), "listening again registers", () -> registry.hasService(TCP_ID + tcpPort));
    }

    @Test
    void anExecCheckFollowsTheCommandsExitCode() throws IOException {
        Files.delete(marker);
        Await.until(Duration.ofSeconds(10), "exit 1 deregisters", () -> !registry.hasService(EXEC_ID));
        Files.writeString(marker, "ready");
        Await.until(Duration.ofSeconds(10), "exit 0 registers again", () -> registry.hasService(EXEC_ID));
    }

    /** A port that accepts and closes connections, like a neighbour that speaks no HTTP. */
    private static final class TcpNeighbour implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread acceptor;

        TcpNeighbour(int port) throws IOException {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            acceptor = new Thread(
                    () -> {
                        while (!socket.isClosed()) {
                            try {
                                // accepted and closed at once: the probe only needs the connect
                                Socket accepted = socket.accept();
                                accepted.close();
                            } catch (IOException closed) {
                                return;
                            }
                        }
                    },
                    "test-tcp-neighbour");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
