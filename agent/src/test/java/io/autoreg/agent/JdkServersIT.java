package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.AgentIt;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.agent.testing.RegistryFixture;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import io.autoreg.testing.Http;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JDK's own server sockets under the agent, on JDK 17 and JDK 25: {@code com.sun.net.httpserver}
 * (the sample app, on {@code ServerSocketChannelImpl}), a classic {@code ServerSocket}, and NIO.2's
 * {@code AsynchronousServerSocketChannel}; a listener closed while the JVM runs; two listeners.
 */
class JdkServersIT {

    @RegisterExtension
    static final AgentIt AGENT = new AgentIt();

    @ParameterizedTest(name = "{0} on JDK {1}")
    @CsvSource({
        "jdk-http-server, 17", "jdk-http-server, 25",
        "plain-server-socket, 17", "plain-server-socket, 25",
        "nio2, 17", "nio2, 25"
    })
    void registeredWithItsRealPortWithinTwoSecondsAndGoneAfterSigterm(String server, int jdk) {
        String name = server + "-jdk" + jdk;
        ChildJvm.Builder builder = AGENT.underAgent(AgentApps.jdk(jdk), name, "");
        if (server.equals("jdk-http-server")) {
            builder.jar(Artifacts.sampleAppJar(), "--port", "0");
        } else {
            builder.mainClass(
                    AgentApps.testClasses(),
                    server.equals("nio2") ? "fixture.apps.Nio2App" : "fixture.apps.PlainServerSocketApp");
        }
        try (ChildJvm app = builder.start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            JsonNode service = AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(2), app);
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText());
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("ports").asText(), "one listener");
            assertTrue(
                    service.path("metadata").path("java_version").asText().startsWith(String.valueOf(jdk)),
                    service.toString());
            assertEquals(200, Http.status(port, "/", Duration.ofSeconds(2)));
            AgentApps.terminateAndExpectDeregistered(AGENT.registry(), name, app);
            assertTrue(
                    app.stderrLines().stream().noneMatch(l -> l.contains("WARNING") || l.contains("[autoreg]")),
                    "nothing on the host's stderr\n" + app.output());
        }
    }

    @Test
    void aListenerClosedWhileTheJvmRunsIsDeregistered() {
        String name = "closing-listener";
        try (ChildJvm app = AGENT.underAgent(name, "")
                .mainClass(AgentApps.testClasses(), "fixture.apps.PlainServerSocketApp")
                .start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(2), app);
            Http.status(port, "/close", Duration.ofSeconds(2));
            app.awaitLine(java.util.regex.Pattern.compile("listener closed"), Duration.ofSeconds(5));
            Await.until(
                    Duration.ofSeconds(3),
                    () -> AGENT.registry().serviceNamed(name).isEmpty(),
                    name + " deregistered\n" + app.output());
            assertTrue(app.process().isAlive(), "the JVM still runs");
            // the registry lists the removal before its event is in the feed: await the event, then count
            Await.until(
                    Duration.ofSeconds(3),
                    () -> !AGENT.registry().events("service.remove", name).isEmpty(),
                    "service.remove of " + name);
            assertEquals(1, AGENT.registry().events("service.remove", name).size(), "removed once");
            assertEquals(0, AGENT.registry().events("service.timeout", name).size(), "removed, not expired");
        }
    }

    @Test
    void theJmxConnectorAndItsRmiServerAreNotRegisteredOnlyTheApplicationsPort() {
        String name = "with-jmx";
        int jmxPort = RegistryFixture.freePort();
        try (ChildJvm app = AGENT.underAgent(name, "")
                .systemProperty("com.sun.management.jmxremote.port", String.valueOf(jmxPort))
                .systemProperty("com.sun.management.jmxremote.authenticate", "false")
                .systemProperty("com.sun.management.jmxremote.ssl", "false")
                .jar(Artifacts.sampleAppJar(), "--port", "0")
                .start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            JsonNode service = AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(2), app);
            Await.holdsThroughout(
                    Duration.ofSeconds(1),
                    () -> AGENT.registry()
                            .serviceNamed(name)
                            .map(s -> s.path("metadata").path("ports").asText().equals(String.valueOf(port)))
                            .orElse(false),
                    "only the application's port, not JMX (" + jmxPort + ") nor its RMI server: "
                            + AGENT.registry().servicesNamed(name));
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText());
            AgentApps.terminateAndExpectDeregistered(AGENT.registry(), name, app);
        }
    }

    @Test
    void withAnHttpReadinessProbeItIsRegisteredOnceTheHealthPathAnswers() {
        String name = "readiness-http";
        try (ChildJvm app = AGENT.underAgent(name, "agent.readiness=http,agent.readiness-path=/health")
                .jar(Artifacts.sampleAppJar(), "--port", "0")
                .start()) {
            int port = app.awaitPort(Duration.ofSeconds(20));
            JsonNode service = AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(3), app);
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText());
            AgentApps.terminateAndExpectDeregistered(AGENT.registry(), name, app);
        }
    }

    /** A readiness path the app does not serve: not registered, and said (it was silent at every level). */
    @Test
    void aReadinessProbeThatKeepsFailingIsSaidAndTheListenerNotRegistered() {
        String name = "readiness-wrong-path";
        try (ChildJvm app = AGENT.underAgent(
                        name, "agent.include-loopback=true,agent.readiness=http,agent.readiness-path=/helth")
                .systemProperty("io.autoreg.agent.internal.readiness-warn-millis", "500")
                .mainClass(Artifacts.fixturesClasspath(), "io.autoreg.fixtures.SystemPropertiesApp")
                .start()) {
            int port = app.awaitPort(Duration.ofSeconds(30));
            String said = " warn port " + port + " is not registered yet: its readiness probe (GET /helth) still"
                    + " fails, HTTP 404; registered once it passes (autoreg.agent.readiness,"
                    + " autoreg.agent.readiness-path)";
            Await.until(
                    Duration.ofSeconds(15),
                    () -> app.stderrLines().stream().anyMatch(line -> line.endsWith(said)),
                    "the warning: " + said + "\n" + app.output());
            assertTrue(AGENT.registry().serviceNamed(name).isEmpty(), "not registered while not ready");
            assertEquals(
                    1,
                    app.stderrLines().stream()
                            .filter(line -> line.contains("readiness probe"))
                            .count(),
                    "said once\n" + app.output());
        }
    }

    /** An unpacked Spring Boot image runs Spring's launcher: the name is the manifest's Start-Class, not the launcher. */
    @Test
    void anUnpackedSpringBootImageIsNamedByItsStartClass(@TempDir Path app) throws IOException {
        Files.createDirectories(app.resolve("META-INF"));
        Files.writeString(
                app.resolve("META-INF/MANIFEST.MF"),
                "Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.launch.JarLauncher\n"
                        + "Start-Class: com.acme.orders.OrdersApplication\n");
        try (ChildJvm child = ChildJvm.builder()
                .agent(Artifacts.agentJar(), "registry.url=" + AGENT.registry().apiUrl())
                .systemProperty("autoreg.heartbeat.timeout", "3s")
                .mainClass(
                        app + File.pathSeparator + AgentApps.testClasses(),
                        "org.springframework.boot.loader.launch.JarLauncher")
                .start()) {
            int port = child.awaitPort(Duration.ofSeconds(20));
            JsonNode service =
                    AgentApps.awaitRegistered(AGENT.registry(), "orders-application", Duration.ofSeconds(5), child);
            assertEquals(
                    String.valueOf(port), service.path("metadata").path("port").asText());
            assertEquals(
                    "com.acme.orders.OrdersApplication",
                    service.path("metadata").path("main").asText());
        }
    }

    @Test
    void twoListenersAreOneInstanceWithBothPorts() {
        String name = "two-listeners";
        try (ChildJvm app = AGENT.underAgent(name, "")
                .mainClass(AgentApps.testClasses(), "fixture.apps.TwoListenersApp")
                .start()) {
            int first = app.awaitPort(Duration.ofSeconds(20));
            int second = Integer.parseInt(
                    app.awaitLine(java.util.regex.Pattern.compile("second port (\\d+)"), Duration.ofSeconds(5))
                            .group(1));
            Set<String> both = new TreeSet<>(List.of(String.valueOf(first), String.valueOf(second)));
            Await.until(
                    Duration.ofSeconds(3),
                    () -> AGENT.registry()
                            .serviceNamed(name)
                            .map(s -> new TreeSet<>(List.of(s.path("metadata")
                                            .path("ports")
                                            .asText()
                                            .split(",")))
                                    .equals(both))
                            .orElse(false),
                    name + " with ports " + both + "\n" + AGENT.registry().servicesNamed(name) + "\n" + app.output());
            assertEquals(1, AGENT.registry().servicesNamed(name).size(), "one instance");
            // The primary port is the first one seen; binds made before the hooks were in are ordered by
            // socket inode, which is the bind order only as far as the kernel's per-CPU inode batches allow.
            assertTrue(both.contains(AGENT.registry()
                    .serviceNamed(name)
                    .get()
                    .path("metadata")
                    .path("port")
                    .asText()));
            AgentApps.terminateAndExpectDeregistered(AGENT.registry(), name, app);
        }
    }

    @Test
    void twoListenersInPerPortModeAreTwoInstances() {
        String name = "per-port";
        try (ChildJvm app = AGENT.underAgent(name, "agent.mode=per-port")
                .mainClass(AgentApps.testClasses(), "fixture.apps.TwoListenersApp")
                .start()) {
            int first = app.awaitPort(Duration.ofSeconds(20));
            int second = Integer.parseInt(
                    app.awaitLine(java.util.regex.Pattern.compile("second port (\\d+)"), Duration.ofSeconds(5))
                            .group(1));
            Await.until(
                    Duration.ofSeconds(3),
                    () -> AGENT.registry().servicesNamed(name).size() == 2,
                    "two instances\n" + app.output());
            Set<String> ports = new TreeSet<>();
            AGENT.registry()
                    .servicesNamed(name)
                    .forEach(s -> ports.add(s.path("metadata").path("port").asText()));
            assertEquals(new TreeSet<>(List.of(String.valueOf(first), String.valueOf(second))), ports);
            AgentApps.terminateAndExpectDeregistered(AGENT.registry(), name, app);
        }
    }
}
