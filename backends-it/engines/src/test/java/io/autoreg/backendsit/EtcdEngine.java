package io.autoreg.backendsit;

import io.autoreg.testing.Await;
import io.autoreg.testing.ChildProcess;
import io.autoreg.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real single-node etcd (Debian's etcd-server) on loopback with a temporary data dir; plain HTTP, or
 * HTTPS requiring client certificates.
 */
final class EtcdEngine implements AutoCloseable {

    private final int clientPort = FreePorts.next();
    private final int peerPort = FreePorts.next();
    private final TestCertificates tls;
    private final Http healthClient;
    private Path dataDir;
    private ChildProcess process;

    /** Plain HTTP. */
    EtcdEngine() {
        this(null, new Http());
    }

    /** HTTPS with the server certificate of {@code tls}, requiring client certificates signed by its CA. */
    EtcdEngine(TestCertificates tls, Http healthClient) {
        this.tls = tls;
        this.healthClient = healthClient;
    }

    String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "etcd");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("etcd is not installed: the etcd ITs need a real etcd server. "
                + "Install it with: apt-get update && apt-get install -y etcd-server");
    }

    /** Starts etcd with an empty data dir and waits until it reports healthy. */
    void start() throws Exception {
        dataDir = Files.createTempDirectory("autoreg-etcd-");
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = new ArrayList<>(List.of(
                binary(),
                "--name",
                "autoreg-it",
                "--data-dir",
                dataDir.toString(),
                "--listen-client-urls",
                url(),
                "--advertise-client-urls",
                url(),
                "--listen-peer-urls",
                peer,
                "--initial-advertise-peer-urls",
                peer,
                "--initial-cluster",
                "autoreg-it=" + peer,
                "--logger",
                "zap",
                "--log-level",
                "warn"));
        if (tls != null) {
            command.addAll(List.of(
                    "--cert-file",
                    tls.serverCert().toString(),
                    "--key-file",
                    tls.serverKey().toString(),
                    "--trusted-ca-file",
                    tls.caCert().toString(),
                    "--client-cert-auth"));
        }
        process = ChildProcess.start("etcd", command, log);
        try {
            Await.until(
                    Duration.ofSeconds(20),
                    "etcd healthy at " + url() + "; " + process,
                    () -> process.isAlive() && healthClient.getOk(url() + "/health"));
        } catch (AssertionError notUp) {
            throw new AssertionError(notUp.getMessage() + "\n" + process.logTail(), notUp);
        }
    }

    /** SIGTERM, then a fresh start on the same ports with an empty data dir: every lease is gone. */
    void restartEmpty() throws Exception {
        close();
        start();
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.close();
            Files.deleteIfExists(process.log());
            process = null;
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(EtcdEngine::deleteQuietly);
            }
            dataDir = null;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a temp file; the OS cleans up what remains
        }
    }
}
