package io.autoreg.registry.crash;

import io.autoreg.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The packaged registry jar as a child JVM on a fixed loopback port and data dir, killable with -9. */
final class RegistryProcess implements AutoCloseable {
    private static final Duration START_BOUND = Duration.ofSeconds(30);

    private final Path jar;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private final HttpClient probe =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private Process process;

    private final Path config;

    /** {@code config}: a HOCON file passed with --config, or null. */
    RegistryProcess(Path jar, Path dataDir, Path log, Path config) {
        this.jar = jar;
        this.dataDir = dataDir;
        this.log = log;
        this.config = config;
        this.port = freePort();
    }

    /** target/autoreg-registry.jar of this module (built in package, before failsafe runs). */
    static Path packagedJar() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path jar = module.resolve("target/autoreg-registry.jar");
        if (!Files.isRegularFile(jar)) {
            jar = module.resolve("registry/target/autoreg-registry.jar");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no registry jar at " + jar + ": run `mvn -pl registry package` first");
        }
        return jar;
    }

    URI root() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Starts the child and waits (bounded) until /healthz answers 200. */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(
                java,
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--data",
                dataDir.toString()));
        if (config != null) {
            command.addAll(List.of("--config", config.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until(
                START_BOUND,
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("registry exited with " + process.exitValue() + "; see " + log);
                    }
                    return healthy();
                },
                "registry child healthy on port " + port + " (log " + log + ")");
    }

    /** The child's pid (it must have been started). */
    long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("child did not die after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private boolean healthy() {
        try {
            HttpResponse<Void> answer = probe.send(
                    HttpRequest.newBuilder(URI.create(root() + "/healthz"))
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
