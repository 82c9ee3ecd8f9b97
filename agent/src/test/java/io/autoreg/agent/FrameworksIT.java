package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.AgentIt;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.testing.ChildJvm;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real server frameworks under the agent, on JDK 17 and JDK 25, bound to port 0: found in the real
 * registry with the right port within 2 s, gone after SIGTERM. Netty epoll and gRPC (grpc-netty-shaded,
 * epoll on Linux) bind in native code, where only the {@code doBind} hook sees them.
 */
class FrameworksIT {

    @RegisterExtension
    static final AgentIt AGENT = new AgentIt();

    private static String classpath;

    @BeforeAll
    static void start() {
        classpath = Artifacts.fixturesClasspath();
    }

    @ParameterizedTest(name = "{0} {1} on JDK {2}")
    @CsvSource({
        "JettyApp, -, 17", "JettyApp, -, 25",
        "NettyApp, nio, 17", "NettyApp, nio, 25",
        "NettyApp, epoll, 17", "NettyApp, epoll, 25",
        "UndertowApp, -, 17", "UndertowApp, -, 25",
        "TomcatApp, nio, 17", "TomcatApp, nio, 25",
        "TomcatApp, nio2, 17", "TomcatApp, nio2, 25",
        "GrpcApp, -, 17", "GrpcApp, -, 25"
    })
    void registeredWithItsRealPortWithinTwoSecondsAndGoneAfterSigterm(String app, String variant, int jdk)
            throws IOException {
        String name =
                (app.replace("App", "") + (variant.equals("-") ? "" : "-" + variant)).toLowerCase() + "-jdk" + jdk;
        ChildJvm.Builder builder = AGENT.underAgent(AgentApps.jdk(jdk), name, "");
        if (variant.equals("-")) {
            builder.mainClass(classpath, "io.autoreg.fixtures." + app);
        } else {
            builder.mainClass(classpath, "io.autoreg.fixtures." + app, variant);
        }
        try (ChildJvm child = builder.start()) {
            int port = child.awaitPort(Duration.ofSeconds(30));
            JsonNode service = AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(2), child);
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText(), service.toString());
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("ports").asText(), "counted once: " + service);
            if (app.equals("GrpcApp")) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                }
            } else {
                assertEquals(200, Http.status(port, "/", Duration.ofSeconds(5)), child.output());
            }
            AgentApps.terminateAndExpectDeregistered(AGENT.registry(), name, child);
        }
    }
}
