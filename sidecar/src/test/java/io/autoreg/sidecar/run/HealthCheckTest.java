package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.autoreg.sidecar.testing.FreePorts;
import io.autoreg.sidecar.testing.SelfSignedKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four probes against real sockets, a TLS server and processes. */
class HealthCheckTest {
    private static HttpServer server;
    private static final CountDownLatch never = new CountDownLatch(1);

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        respond("/plain", 200, "text/plain", "ok");
        respond("/no-content", 204, null, "");
        respond("/unavailable", 503, "text/plain", "busy");
        respond("/up", 200, "application/json", "{\"status\":\"UP\",\"components\":{}}");
        respond("/down", 200, "application/json", "{\"status\":\"DOWN\"}");
        respond("/other-json", 200, "application/json", "{\"healthy\":true}");
        // as the other conventions answer: Node's Terminus, the health check response format, Spring's other words
        respond("/terminus-ok", 200, "application/json", "{\"status\":\"ok\",\"info\":{},\"error\":{},\"details\":{}}");
        respond("/terminus-error", 200, "application/json", "{\"status\":\"error\",\"info\":{},\"error\":{}}");
        respond("/health-json-pass", 200, "application/health+json", "{\"status\":\"pass\",\"version\":\"1\"}");
        respond("/health-json-warn", 200, "application/health+json", "{\"status\":\"warn\",\"version\":\"1\"}");
        respond("/health-json-fail", 200, "application/health+json", "{\"status\":\"fail\",\"version\":\"1\"}");
        respond(
                "/out-of-service",
                200,
                "application/vnd.spring-boot.actuator.v3+json",
                "{\"status\":\"OUT_OF_SERVICE\"}");
        respond("/unknown", 200, "application/vnd.spring-boot.actuator.v3+json", "{\"status\":\"UNKNOWN\"}");
        respond("/moved", 301, "text/plain", "");
        // redirects as the kubelet takes them: on the neighbour followed, elsewhere not
        redirect("/dir", 301, "/dir/");
        respond("/dir/", 200, "text/html", "<html>ok</html>");
        redirect("/away", 302, "http://login.example.com/sso?next=%2F");
        redirect("/loop", 302, "/loop");
        redirect("/to-down", 307, "/down");
        server.createContext("/slow", exchange -> {
            try {
                never.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterAll
    static void stop() {
        never.countDown();
        server.stop(0);
    }

    private static void respond(String path, int status, String type, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (type != null) {
                exchange.getResponseHeaders().set("Content-Type", type);
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    private static void redirect(String path, int status, String location) {
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    private static CheckSettings check(CheckType type, int port, String path, List<String> command, Duration timeout) {
        return new CheckSettings(
                "n",
                null,
                type,
                port,
                "127.0.0.1",
                path,
                "",
                command,
                Duration.ofSeconds(1),
                timeout,
                1,
                1,
                List.of(),
                Map.of());
    }

    private static HealthCheck.Result http(String path) {
        return new HttpHealthCheck(
                        check(CheckType.HTTP, server.getAddress().getPort(), path, List.of(), Duration.ofMillis(500)))
                .probe();
    }

    @Test
    void httpPassesOn2xxAndHonoursTheStatusConventionWhenPresent() {
        assertTrue(http("/plain").passed(), "a plain 200 is healthy");
        assertTrue(http("/no-content").passed());
        assertTrue(http("/up").passed());
        assertTrue(http("/other-json").passed(), "JSON without status: the 2xx decides");
        HealthCheck.Result down = http("/down");
        assertFalse(down.passed(), "200 with status DOWN must take the neighbour out");
        assertEquals("HTTP 200 status DOWN", down.detail());
        assertEquals("HTTP 503", http("/unavailable").detail());
        // the other conventions' healthy words pass with their 2xx, their unhealthy ones fail it
        assertTrue(http("/terminus-ok").passed(), "Terminus: ok");
        assertTrue(http("/health-json-pass").passed(), "health+json: pass");
        assertTrue(http("/health-json-warn").passed(), "health+json: warn is healthy, with concerns");
        assertTrue(http("/unknown").passed(), "Spring's UNKNOWN: the 2xx decides");
        assertEquals("HTTP 200 status error", http("/terminus-error").detail());
        assertFalse(http("/terminus-error").passed());
        assertFalse(http("/health-json-fail").passed());
        assertFalse(http("/out-of-service").passed());
        assertEquals("HTTP 301 without a Location", http("/moved").detail());
        assertFalse(http("/moved").passed());
    }

    @Test
    void httpFollowsRedirectsOnTheNeighbourAndPassesOneElsewhereWithoutFollowingIt() {
        HealthCheck.Result slash = http("/dir");
        assertTrue(slash.passed(), slash.detail());
        assertEquals("HTTP 200", slash.detail());
        assertEquals("HTTP 200 status DOWN", http("/to-down").detail(), "the answer at the end is judged");
        HealthCheck.Result away = http("/away");
        assertTrue(away.passed(), "the neighbour answered; the probe goes nowhere else");
        assertEquals("HTTP 302 to login.example.com:80, not followed", away.detail());
        HealthCheck.Result loop = http("/loop");
        assertFalse(loop.passed());
        assertEquals("HTTP 302 after 10 redirects", loop.detail());
    }

    @Test
    void httpFailsWithinTheTimeoutOnASlowOrAbsentNeighbour() {
        long start = System.nanoTime();
        assertFalse(http("/slow").passed());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "bounded by the 500 ms timeout");
        assertFalse(new HttpHealthCheck(check(CheckType.HTTP, FreePorts.next(), "/", List.of(), Duration.ofMillis(500)))
                .probe()
                .passed());
    }

    @Test
    void tcpPassesWhileSomethingListens() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
            assertTrue(new TcpHealthCheck(check(CheckType.TCP, port, "/", List.of(), Duration.ofMillis(500)))
                    .probe()
                    .passed());
        }
        assertFalse(new TcpHealthCheck(check(CheckType.TCP, port, "/", List.of(), Duration.ofMillis(500)))
                .probe()
                .passed());
    }

    @Test
    void execPassesOnExit0AndGetsTheNeighboursAddress() throws IOException {
        Path seen = dir.resolve("seen");
        HealthCheck.Result pass = new ExecHealthCheck(check(
                        CheckType.EXEC,
                        6379,
                        "/",
                        List.of("sh", "-c", "echo $AUTOREG_CHECK_HOST:$AUTOREG_CHECK_PORT > '" + seen + "'"),
                        Duration.ofSeconds(5)))
                .probe();
        assertTrue(pass.passed(), pass.detail());
        assertEquals("127.0.0.1:6379", Files.readString(seen).strip());
        assertEquals(
                "exit 3",
                new ExecHealthCheck(check(CheckType.EXEC, 1, "/", List.of("sh", "-c", "exit 3"), Duration.ofSeconds(5)))
                        .probe()
                        .detail());
        assertFalse(
                new ExecHealthCheck(check(CheckType.EXEC, 1, "/", List.of("/no/such/binary"), Duration.ofSeconds(5)))
                        .probe()
                        .passed());
    }

    @Test
    void anExecCheckThatHangsIsKilledAtTheTimeout() throws IOException {
        Path pidFile = dir.resolve("pid");
        HealthCheck.Result result = new ExecHealthCheck(check(
                        CheckType.EXEC,
                        1,
                        "/",
                        List.of("sh", "-c", "echo $$ > '" + pidFile + "'; exec sleep 30"),
                        Duration.ofMillis(300)))
                .probe();
        assertFalse(result.passed());
        assertTrue(result.detail().startsWith("timed out"), result.detail());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertFalse(
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the hung check is not left running");
    }

    /**
     * A neighbour serving only TLS with its own certificate, for a host name that is not the loopback address it is
     * probed on (as a service's certificate names its public host): https passes and fails as http does, and http to
     * that port fails.
     */
    @Test
    void httpsProbesOverTlsWithoutVerifyingTheNeighboursCertificate() throws Exception {
        KeyManagerFactory keyManagers = SelfSignedKeys.create(dir);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        for (String status : List.of("UP", "DOWN")) {
            https.createContext("/" + status.toLowerCase(java.util.Locale.ROOT), exchange -> {
                byte[] body = ("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
        }
        https.start();
        try {
            int port = https.getAddress().getPort();
            // a cold JVM's first handshake on a busy 2-core machine: a bound well above the default
            Duration timeout = Duration.ofSeconds(20);
            HealthCheck.Result up =
                    new HttpHealthCheck(check(CheckType.HTTPS, port, "/up", List.of(), timeout)).probe();
            assertTrue(up.passed(), up.detail());
            assertEquals("HTTP 200 status UP", up.detail());
            HealthCheck.Result down =
                    new HttpHealthCheck(check(CheckType.HTTPS, port, "/down", List.of(), timeout)).probe();
            assertEquals("HTTP 200 status DOWN", down.detail());
            assertFalse(down.passed());
            assertFalse(
                    new HttpHealthCheck(check(CheckType.HTTP, port, "/up", List.of(), Duration.ofSeconds(2)))
                            .probe()
                            .passed(),
                    "plain http to a TLS port");
            assertEquals(
                    "https://127.0.0.1:" + port + "/up",
                    check(CheckType.HTTPS, port, "/up", List.of(), timeout).target());
        } finally {
            https.stop(0);
        }
    }
}
