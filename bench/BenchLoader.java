import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepares the benchmark's state with the JDK's HTTP client only (run as {@code java BenchLoader.java}):
 * <pre>
 *   services BASE TENANT PREFIX COUNT TIMEOUT CONCURRENCY OUT   registry services; OUT gets "id token" lines
 *   delete   BASE TENANT CONCURRENCY FILE                       deletes the services named in FILE ("id token")
 *   leases   BASE COUNT TTL CONCURRENCY OUT                     etcd leases; OUT gets one lease ID a line
 *   ports    N                                                  N free loopback ports
 * </pre>
 */
public final class BenchLoader {
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern LEASE = Pattern.compile("\"ID\"\\s*:\\s*\"?(\\d+)\"?");

    private BenchLoader() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "services" -> services(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]), args[7]);
            case "leases" -> leases(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), args[5]);
            case "delete" -> delete(args[1], args[2], Integer.parseInt(args[3]), args[4]);
            case "ports" -> ports(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void services(String base, String tenant, String prefix, int count, int timeout, int concurrency,
                                 String out) throws Exception {
        AtomicReferenceArray<String> lines = new AtomicReferenceArray<>(count);
        run(count, concurrency, (client, i) -> {
            String id = String.format("%s-%06d", prefix, i);
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(base + "/v1.0/" + tenant + "/services"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"heartbeat_timeout\":" + timeout
                            + ",\"tags\":[\"bench\"],\"metadata\":{\"port\":\"8080\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("create " + id + ": " + answer.statusCode() + " " + answer.body());
            }
            Matcher token = TOKEN.matcher(answer.body());
            if (!token.find()) {
                throw new IllegalStateException("no token for " + id + ": " + answer.body());
            }
            lines.set(i, id + " " + token.group(1));
        });
        write(out, lines);
    }

    private static void delete(String base, String tenant, int concurrency, String file) throws Exception {
        java.util.List<String> ids = Files.readAllLines(Path.of(file)).stream().map(l -> l.split(" ")[0]).toList();
        run(ids.size(), concurrency, (client, i) -> {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                    URI.create(base + "/v1.0/" + tenant + "/services/" + ids.get(i))).DELETE()
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 204) {
                throw new IllegalStateException("delete " + ids.get(i) + ": " + answer.statusCode() + " " + answer.body());
            }
        });
    }

    private static void leases(String base, int count, int ttl, int concurrency, String out) throws Exception {
        AtomicReferenceArray<String> lines = new AtomicReferenceArray<>(count);
        run(count, concurrency, (client, i) -> {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(base + "/v3/lease/grant"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"TTL\":" + ttl + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher lease = LEASE.matcher(answer.body());
            if (answer.statusCode() != 200 || !lease.find()) {
                throw new IllegalStateException("grant: " + answer.statusCode() + " " + answer.body());
            }
            lines.set(i, lease.group(1));
        });
        write(out, lines);
    }

    private static void ports(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        for (int i = 0; i < n; i++) {
            sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            System.out.println(sockets[i].getLocalPort());
        }
        for (ServerSocket socket : sockets) {
            socket.close();
        }
    }

    interface Task {
        void run(HttpClient client, int i) throws Exception;
    }

    private static void run(int count, int concurrency, Task task) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        StringBuffer firstFailure = new StringBuffer();
        for (int w = 0; w < concurrency; w++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count && failures.get() == 0; i = next.getAndIncrement()) {
                    try {
                        task.run(client, i);
                    } catch (Exception e) {
                        if (failures.getAndIncrement() == 0) {
                            firstFailure.append(e);
                        }
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES) || failures.get() > 0) {
            throw new IllegalStateException("loading failed: " + firstFailure);
        }
    }

    private static void write(String out, AtomicReferenceArray<String> lines) throws IOException {
        if (out.equals("-")) {
            return;
        }
        try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(Path.of(out)))) {
            for (int i = 0; i < lines.length(); i++) {
                writer.println(lines.get(i));
            }
        }
    }
}
