package io.autoreg.sidecar.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.autoreg.sidecar.testing.FreePorts;
import io.autoreg.sidecar.testing.SelfSignedKeys;
import io.autoreg.testing.Await;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Protocol;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grpc check against real gRPC servers: grpc-java's own health service ({@code HealthStatusManager}, what Java
 * gRPC services expose) over cleartext and TLS, a gRPC server without it, an HTTP/1.1 server and a closed port. The
 * server is the judge of the request: a frame it could not read would be an error, not a status.
 */
class GrpcHealthCheckTest {
    /** A cold JVM's first HTTP/2 connection (and TLS handshake) on a busy 2-core machine: a bound above the default. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static HealthStatusManager health;
    private static Server plain;
    private static Server tls;
    private static Server withoutHealth;

    @BeforeAll
    static void start() throws Exception {
        health = new HealthStatusManager();
        health.setStatus("orders.v1.Orders", ServingStatus.SERVING);
        health.setStatus("billing.v1.Billing", ServingStatus.NOT_SERVING);
        plain = serve(InsecureServerCredentials.create(), true);
        tls = serve(
                TlsServerCredentials.newBuilder()
                        .keyManager(SelfSignedKeys.create(dir).getKeyManagers())
                        .build(),
                true);
        withoutHealth = serve(InsecureServerCredentials.create(), false);
    }

    /** A grpc-java server builder on a free loopback port. */
    static NettyServerBuilder onLoopback(ServerCredentials credentials) {
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), credentials);
    }

    private static Server serve(ServerCredentials credentials, boolean withHealth) throws Exception {
        NettyServerBuilder builder = onLoopback(credentials);
        if (withHealth) {
            builder.addService(health.getHealthService());
        }
        return builder.build().start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Server server : new Server[] {plain, tls, withoutHealth}) {
            if (server != null) {
                server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static HealthCheck.Result probe(CheckType type, int port, String service) {
        return new GrpcHealthCheck(check(type, port, service)).probe();
    }

    private static CheckSettings check(CheckType type, int port, String service) {
        return new CheckSettings(
                "n",
                null,
                type,
                port,
                "127.0.0.1",
                "/health",
                service,
                List.of(),
                Duration.ofSeconds(1),
                TIMEOUT,
                1,
                1,
                List.of(),
                Map.of());
    }

    @Test
    void passesOnServingAndFailsOnEveryOtherAnswerAsTheKubeletsProbeDoes() {
        HealthCheck.Result server = probe(CheckType.GRPC, plain.getPort(), "");
        assertTrue(server.passed(), server.detail());
        assertEquals("SERVING", server.detail());
        HealthCheck.Result orders = probe(CheckType.GRPC, plain.getPort(), "orders.v1.Orders");
        assertTrue(orders.passed(), orders.detail());

        HealthCheck.Result billing = probe(CheckType.GRPC, plain.getPort(), "billing.v1.Billing");
        assertFalse(billing.passed());
        assertEquals("NOT_SERVING", billing.detail());
        HealthCheck.Result unknown = probe(CheckType.GRPC, plain.getPort(), "nope.v1.Nope");
        assertFalse(unknown.passed());
        assertEquals("gRPC NOT_FOUND (unknown service nope.v1.Nope)", unknown.detail());
    }

    @Test
    void followsTheServersStatusAsItChanges() {
        String service = "catalog.v1.Catalog";
        health.setStatus(service, ServingStatus.NOT_SERVING);
        assertEquals(
                "NOT_SERVING", probe(CheckType.GRPC, plain.getPort(), service).detail());
        health.setStatus(service, ServingStatus.SERVING);
        assertTrue(probe(CheckType.GRPC, plain.getPort(), service).passed());
        health.clearStatus(service);
        assertFalse(probe(CheckType.GRPC, plain.getPort(), service).passed());
    }

    /**
     * gRPC servers end connections by design (GOAWAY at a maximum connection age, grpc-java's
     * {@code maxConnectionAge}): the check keeps its HTTP/2 connection between probes, and one the server has closed
     * must not fail the next probe.
     */
    @Test
    void aServerThatEndsItsConnectionsAtAnAgeKeepsPassing() throws Exception {
        Server ageing = onLoopback(InsecureServerCredentials.create())
                .addService(health.getHealthService())
                .maxConnectionAge(200, TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(50, TimeUnit.MILLISECONDS)
                .build()
                .start();
        try {
            GrpcHealthCheck check = new GrpcHealthCheck(check(CheckType.GRPC, ageing.getPort(), ""));
            Await.holdsThroughout(
                    Duration.ofSeconds(2),
                    () -> check.probe().passed(),
                    "every probe passes across the server's connection ends");
        } finally {
            ageing.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerWithoutTheHealthServiceFailsSayingSo() {
        HealthCheck.Result result = probe(CheckType.GRPC, withoutHealth.getPort(), "");
        assertFalse(result.passed());
        assertTrue(
                result.detail().startsWith("gRPC UNIMPLEMENTED: the server does not implement grpc.health.v1.Health"),
                result.detail());
    }

    @Test
    void grpcsProbesOverTlsWithoutVerifyingTheCertificateAndCleartextToATlsPortFails() {
        HealthCheck.Result result = probe(CheckType.GRPCS, tls.getPort(), "orders.v1.Orders");
        assertTrue(result.passed(), result.detail());
        assertEquals("SERVING", result.detail());
        HealthCheck.Result cleartextToTls = probe(CheckType.GRPC, tls.getPort(), "");
        assertFalse(cleartextToTls.passed(), "cleartext HTTP/2 to a TLS port");
        assertTrue(cleartextToTls.detail().contains("then type = grpcs"), cleartextToTls.detail());
        HealthCheck.Result tlsToCleartext = probe(CheckType.GRPCS, plain.getPort(), "");
        assertFalse(tlsToCleartext.passed(), "TLS to a cleartext port");
        assertTrue(tlsToCleartext.detail().endsWith(" (no TLS on this port: type = grpc?)"), tlsToCleartext.detail());
    }

    @Test
    void anHttpServerOrAClosedPortFails() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        http.start();
        try {
            HealthCheck.Result result =
                    new GrpcHealthCheck(check(CheckType.GRPC, http.getAddress().getPort(), "")).probe();
            assertFalse(result.passed(), result.detail());
            assertTrue(
                    result.detail()
                            .endsWith(" (this port does not speak cleartext HTTP/2: TLS, then type = grpcs, or an"
                                    + " HTTP/1 server?)"),
                    result.detail());
        } finally {
            http.stop(0);
        }
        // an HTTP/2 server that is not gRPC's: the probe's own HTTP/2 server (OkHttp's MockWebServer, h2c)
        try (MockWebServer web = new MockWebServer()) {
            web.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
            web.enqueue(
                    new MockResponse().setHeader("Content-Type", "text/html").setBody("<html>hello</html>"));
            web.start(InetAddress.getLoopbackAddress(), 0);
            HealthCheck.Result html = probe(CheckType.GRPC, web.getPort(), "");
            assertFalse(html.passed());
            assertEquals("HTTP 200 with Content-Type text/html: not a gRPC server?", html.detail());
        }
        HealthCheck.Result closed = probe(CheckType.GRPC, FreePorts.next(), "");
        assertFalse(closed.passed());
        assertTrue(closed.detail().contains("ConnectException"), closed.detail());
    }

    @Test
    void theRequestIsHealthCheckRequestInOneUncompressedFrame() {
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0}, GrpcHealthCheck.requestFrame(""));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 5, 0x0a, 3, 'a', 'b', 'c'}, GrpcHealthCheck.requestFrame("abc"));
        byte[] longName = GrpcHealthCheck.requestFrame("s".repeat(200));
        assertEquals(203, longName[4] & 0xff, "the message length: tag, a two-byte varint, 200 bytes");
        assertEquals((byte) 0xc8, longName[6]);
        assertEquals(1, longName[7], "200 as a varint: 0xc8 0x01");
        assertEquals(
                "grpc 127.0.0.1:50051 service orders.v1.Orders",
                check(CheckType.GRPC, 50051, "orders.v1.Orders").target());
    }
}
