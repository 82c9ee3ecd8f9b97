package io.autoreg.backendsit;

import io.autoreg.testing.Await;
import io.autoreg.testing.ChildProcess;
import io.autoreg.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Spring Cloud Netflix Eureka server (the jar built by backends-it/eureka-server) as a child JVM
 * on loopback. It keeps its registry in memory only, so a restart starts it empty.
 */
final class EurekaEngine implements AutoCloseable {

    private final int port = FreePorts.next();
    private ChildProcess process;
    private Path log;

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
        process = ChildProcess.start(
                "eureka",
                List.of(
                        java,
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        fixtureJar().toString(),
                        "--server.port=" + port),
                log);
        Http http = new Http();
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
    }
}
