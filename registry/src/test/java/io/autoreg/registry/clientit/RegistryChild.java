package io.autoreg.registry.clientit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The packaged registry ({@code target/autoreg-registry.jar}) as a child JVM on a fixed loopback port
 * and data dir, so a test can {@code kill -9} it and start it again at the same address.
 */
final class RegistryChild implements AutoCloseable {

    private final Path dataDir;
    private final Path log;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    RegistryChild(Path workDir) throws IOException {
        this(workDir, List.of());
    }

    /** With more command-line options ({@code --log-format json}, {@code --config FILE}). */
    RegistryChild(Path workDir, List<String> extraArgs) throws IOException {
        this.extraArgs = List.copyOf(extraArgs);
        this.dataDir = Files.createDirectories(workDir.resolve("data"));
        this.log = workDir.resolve("registry.log");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
    }

    static Path jar() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        for (Path candidate : List.of(
                module.resolve("target/autoreg-registry.jar"),
                module.resolve("registry/target/autoreg-registry.jar"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "no target/autoreg-registry.jar: build it with ./mvnw -pl registry -am package");
    }

    String url(String tenant) {
        return "http://127.0.0.1:" + port + "/v1.0/" + tenant;
    }

    /** Starts the child and waits (bounded) for {@code /healthz}. */
    RegistryChild start() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            List<String> command = new java.util.ArrayList<>(List.of(
                    java,
                    "-Xmx128m",
                    "-jar",
                    jar().toString(),
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--data",
                    dataDir.toString()));
            command.addAll(extraArgs);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClientItSupport.await(
                Duration.ofSeconds(30),
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the registry exited with " + process.exitValue() + "; see " + log);
                    }
                    return healthy();
                },
                "registry child on port " + port + " healthy (log " + log + ")");
        return this;
    }

    /** What the child printed so far (stdout and stderr together). */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, waiting (bounded) for the exit: the shutdown hook runs. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the registry did not exit within 30 s of SIGTERM; see " + log);
            }
        }
    }

    /** kill -9: no shutdown hook runs. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private boolean healthy() {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/healthz").openConnection();
            c.setConnectTimeout(300);
            c.setReadTimeout(1000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the child; an interrupt while waiting for it is kept for the caller, not thrown (try-with-resources). */
    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
