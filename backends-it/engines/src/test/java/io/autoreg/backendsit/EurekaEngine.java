package io.autoreg.backendsit;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.internal.backend.eureka.EurekaRegistry;
import io.autoreg.core.internal.model.ServiceInstance;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildProcess;
import io.autoreg.testing.FreePorts;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import okhttp3.Credentials;

/**
 * A real Spring Cloud Netflix Eureka server (the jar built by backends-it/eureka-server) as a child JVM
 * on loopback. It keeps its registry in memory only, so a restart starts it empty. {@link #withBasicAuth} starts
 * it behind Spring Security's HTTP basic, as users protect Eureka.
 */
final class EurekaEngine implements AutoCloseable {

    private final int port = FreePorts.next();
    /** Null for an open server. */
    private final String user;

    private final String password;
    private ChildProcess process;
    private Path securityProperties;
    private Path log;

    EurekaEngine() {
        this(null, null);
    }

    private EurekaEngine(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /** Every path behind HTTP basic with this one user (Spring Security, CSRF off as Spring Cloud documents). */
    static EurekaEngine withBasicAuth(String user, String password) {
        return new EurekaEngine(user, password);
    }

    /** The {@code Authorization} header of the server's user; null for an open server. */
    String authorization() {
        return user == null ? null : Credentials.basic(user, password, StandardCharsets.UTF_8);
    }

    /**
     * The instance's entry as a consumer reads it ({@code GET /eureka/apps/{APP}}, as the server's user when it has
     * one), or null when Eureka does not list it.
     */
    JsonNode instanceNode(ServiceInstance instance) throws IOException {
        JsonNode app = new Http(null, authorization()).getJson(url() + "/apps/" + EurekaRegistry.appName(instance));
        if (app == null) {
            return null;
        }
        JsonNode instances = app.path("application").path("instance");
        for (JsonNode node : instances.isArray() ? instances : List.of(instances)) {
            if (instance.id().equals(node.path("instanceId").asText())) {
                return node;
            }
        }
        return null;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/eureka";
    }

    static Path fixtureJar() {
        String configured = System.getProperty("eureka.fixture.jar");
        Path jar = configured == null ? null : Path.of(configured);
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new AssertionError("the Eureka server fixture jar is missing (" + configured + "): build it with "
                    + "./mvnw -pl backends-it/eureka-server package (the full build does it before these tests)");
        }
        return jar;
    }

    void start() throws Exception {
        log = Files.createTempFile("autoreg-eureka-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                fixtureJar().toString(),
                "--server.port=" + port));
        if (user != null) {
            // in a file, not as arguments: a JVM under the C locale would mangle a non-ASCII argument; store() writes
            // ISO-8859-1 with backslash-u escapes, which Spring Boot reads whatever the charset
            Properties security = new Properties();
            security.setProperty("fixture.basic-auth", "true");
            security.setProperty("spring.security.user.name", user);
            security.setProperty("spring.security.user.password", password);
            securityProperties = Files.createTempFile("autoreg-eureka-security-", ".properties");
            try (OutputStream out = Files.newOutputStream(securityProperties)) {
                security.store(out, null);
            }
            command.add("--spring.config.additional-location=file:" + securityProperties);
        }
        process = ChildProcess.start("eureka", command, log);
        Http http = new Http(null, authorization());
        try {
            Await.until(
                    Duration.ofSeconds(60),
                    "Eureka serving " + url() + "; " + process,
                    () -> process.isAlive() && http.getOk(url() + "/apps"));
        } catch (AssertionError notUp) {
            throw new AssertionError(notUp.getMessage() + "\n" + process.logTail(), notUp);
        }
    }

    /** SIGTERM, then a fresh server on the same port: an empty registry. */
    void restartEmpty() throws Exception {
        close();
        start();
    }

    @Override
    public void close() throws java.io.IOException {
        if (process != null) {
            process.close();
            process = null;
        }
        if (log != null) {
            Files.deleteIfExists(log);
            log = null;
        }
        if (securityProperties != null) {
            Files.deleteIfExists(securityProperties);
            securityProperties = null;
        }
    }
}
