package io.autoreg.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real single-node etcd (Debian's etcd-server) on free loopback ports with a temporary data dir; plain HTTP, or
 * HTTPS requiring client certificates. Shared by the backend ITs and the agent's light etcd client's tests.
 */
public final class EtcdServer implements AutoCloseable {

    /** Server certificate, key and the CA that signs the clients' certificates. */
    public record Tls(Path serverCert, Path serverKey, Path caCert) {}

    private final int clientPort = FreePorts.next();
    private final int peerPort = FreePorts.next();
    private final Tls tls;
    private final Http healthClient;
    private Path dataDir;
    private ChildProcess process;

    /** Plain HTTP. */
    public EtcdServer() {
        this(null, new Http());
    }

    /** HTTPS with the server certificate of {@code tls}, requiring client certificates signed by its CA. */
    public EtcdServer(Tls tls, Http healthClient) {
        this.tls = tls;
        this.healthClient = healthClient;
    }

    public String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    public static String binary() {
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
    public void start() throws Exception {
        dataDir = Files.createTempDirectory("autoreg-etcd-");
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = memberCommand("autoreg-it", dataDir, url(), peer, "autoreg-it=" + peer);
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
    public void restartEmpty() throws Exception {
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
            deleteTree(dataDir);
            dataDir = null;
        }
    }

    /**
     * The command of one etcd member on {@code clientUrl} and {@code peerUrl} with its data in {@code dataDir}, in the
     * {@code initialCluster} given ({@code name=peerUrl,…}); warnings only, as JSON lines.
     */
    static List<String> memberCommand(
            String name, Path dataDir, String clientUrl, String peerUrl, String initialCluster) {
        return new ArrayList<>(List.of(
                binary(),
                "--name",
                name,
                "--data-dir",
                dataDir.toString(),
                "--listen-client-urls",
                clientUrl,
                "--advertise-client-urls",
                clientUrl,
                "--listen-peer-urls",
                peerUrl,
                "--initial-advertise-peer-urls",
                peerUrl,
                "--initial-cluster",
                initialCluster,
                "--logger",
                "zap",
                "--log-level",
                "warn"));
    }

    /** Deletes a temporary directory and everything in it; what cannot be deleted is left for the OS. */
    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(EtcdServer::deleteQuietly);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a temp file; the OS cleans up what remains
        }
    }

    /**
     * Turns password authentication on: root (etcd requires it first), and {@code user} with {@code password} allowed
     * to read and write the keys that start with {@code keyPrefix} — and nothing else. {@code admin} must reach this
     * server (its TLS client for HTTPS).
     */
    public void enableAuthentication(Http admin, String rootPassword, String user, String password, String keyPrefix)
            throws IOException {
        String v3 = url() + "/v3/auth/";
        admin.postJson(v3 + "role/add", json("name", "root"));
        admin.postJson(v3 + "user/add", json("name", "root", "password", rootPassword));
        admin.postJson(v3 + "user/grant", json("user", "root", "role", "root"));
        admin.postJson(v3 + "role/add", json("name", "registrar"));
        ObjectNode grant = json("name", "registrar");
        grant.putObject("perm")
                .put("permType", "READWRITE")
                .put("key", base64(keyPrefix))
                .put("range_end", base64(prefixEnd(keyPrefix)));
        admin.postJson(v3 + "role/grant", grant);
        admin.postJson(v3 + "user/add", json("name", user, "password", password));
        admin.postJson(v3 + "user/grant", json("user", user, "role", "registrar"));
        admin.postJson(v3 + "enable", json());
    }

    /** A token for {@code user} from {@code /v3/auth/authenticate}, asked through {@code client}. */
    public String token(Http client, String user, String password) throws IOException {
        return client.postJson(url() + "/v3/auth/authenticate", json("name", user, "password", password))
                .get("token")
                .asText();
    }

    /** The JSON stored under {@code key}, read through {@code client} as a consumer does; null when absent. */
    public JsonNode readJson(Http client, String key) throws IOException {
        JsonNode kvs = client.postJson(url() + "/v3/kv/range", json("key", base64(key)))
                .path("kvs");
        return kvs.isEmpty()
                ? null
                : Http.mapper()
                        .readTree(Base64.getDecoder()
                                .decode(kvs.get(0).get("value").asText()));
    }

    /**
     * The JSON values of every key under {@code prefix}, read from the etcd at {@code url} through {@code client} with
     * a prefix range, as a consumer discovers instances.
     */
    public static List<JsonNode> valuesUnder(Http client, String url, String prefix) throws IOException {
        ObjectNode range = json("key", base64(prefix), "range_end", base64(prefixEnd(prefix)));
        List<JsonNode> values = new ArrayList<>();
        for (JsonNode kv : client.postJson(url + "/v3/kv/range", range).path("kvs")) {
            values.add(Http.mapper()
                    .readTree(Base64.getDecoder().decode(kv.get("value").asText())));
        }
        return values;
    }

    /** A JSON object of string fields, as the gateway takes them. */
    public static ObjectNode json(String... pairs) {
        ObjectNode node = Http.mapper().createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.put(pairs[i], pairs[i + 1]);
        }
        return node;
    }

    /** Keys and values travel base64-encoded through the gateway. */
    public static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The end of a prefix range: the prefix with its last byte incremented. */
    public static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    }
}
