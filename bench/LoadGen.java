import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A second load generator for the registry benchmark (run as {@code java LoadGen.java}), next to wrk:
 * a few NIO threads (default 2, one per core here) drive all connections, so the generator is not
 * starved the way wrk's {@code -t64} is on 2 cores, and every connection keeps its own state (its slice
 * of the services and their latest tokens), so tokens rotate correctly with any thread count.
 * <pre>
 *   java LoadGen.java heartbeat URL TOKENS TENANT   registry heartbeats; TOKENS ("id token" lines) is
 *                                                  rewritten at the end with every service's latest token
 *   java LoadGen.java etcd URL LEASES               etcd POST /v3/lease/keepalive, one lease ID a line
 *   java LoadGen.java post URL PATH BODY            a fixed POST (the bare Undertow handler)
 * </pre>
 * Environment: SERVER_PID (the server's CPU over the measured window is printed), CONNECTIONS (64), THREADS (2), WARMUP (5s), DURATION (15s), RATE (0 = closed loop:
 * each connection sends its next request as soon as the answer is in; N = N requests/s in total on a
 * fixed schedule per connection, latency measured from the scheduled start, so a stall is charged to
 * every request it delayed — no coordinated omission).
 * Prints the line the bench script parses: {@code RESULT requests= duration_us= p50_us= p99_us= ...}.
 * Percentiles come from every latency sample of the measured window, sorted (no histogram buckets).
 */
public final class LoadGen {
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private LoadGen() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[1]);
        Workload workload = switch (args[0]) {
            case "heartbeat" -> new Heartbeats(Path.of(args[2]), args[3]);
            case "etcd" -> new Keepalives(Path.of(args[2]));
            case "post" -> new FixedPost(args[2], args[3]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        int connections = Integer.parseInt(env("CONNECTIONS", "64"));
        int threads = Integer.parseInt(env("THREADS", "2"));
        long warmupNs = seconds(env("WARMUP", "5s"));
        long durationNs = seconds(env("DURATION", "15s"));
        double rate = Double.parseDouble(env("RATE", "0"));
        String host = "Host: " + url.getHost() + ":" + url.getPort() + "\r\n";
        InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());

        long periodNs = rate > 0 ? Math.round(connections * 1e9 / rate) : 0;
        long start = System.nanoTime() + 200_000_000L; // connect first, then all start together
        long measureFrom = start + warmupNs;
        long measureTo = measureFrom + durationNs;
        List<Driver> drivers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            drivers.add(new Driver(t, start, measureFrom, measureTo, periodNs));
        }
        for (int c = 0; c < connections; c++) {
            Driver driver = drivers.get(c % threads);
            // Stagger the fixed schedules so that the connections do not all fire at the same instant.
            long first = start + (periodNs > 0 ? periodNs * c / connections : 0);
            driver.connections.add(new Connection(c, workload.slice(c, connections), host, address, first));
        }
        List<Thread> running = new ArrayList<>();
        for (Driver driver : drivers) {
            Thread thread = new Thread(driver, "loadgen-" + driver.index);
            thread.start();
            running.add(thread);
        }
        long serverTicks = serverCpuTicksDuring(measureFrom, measureTo);
        for (Thread thread : running) {
            thread.join();
        }
        workload.finish();

        long requests = 0;
        long failed = 0;
        long socketErrors = 0;
        String example = "";
        int samples = 0;
        for (Driver d : drivers) {
            requests += d.completed;
            failed += d.failed;
            socketErrors += d.socketErrors;
            samples += d.samples;
            if (!d.example.isEmpty()) {
                example = d.example;
            }
        }
        long[] all = new long[samples];
        int at = 0;
        for (Driver d : drivers) {
            System.arraycopy(d.latencies, 0, all, at, d.samples);
            at += d.samples;
        }
        Arrays.sort(all);
        System.out.printf("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d server_cpu_ticks=%d"
                        + " non200=%d socket_errors=%d example=%s%n", requests, durationNs / 1000, percentile(all, 50) / 1000,
                percentile(all, 99) / 1000, percentile(all, 99.9) / 1000, all.length == 0 ? 0 : all[all.length - 1] / 1000,
                serverTicks, failed, socketErrors, example.replaceAll("\\s+", "_"));
    }

    /**
     * utime + stime of SERVER_PID (clock ticks) over the measured window, read from /proc, so that the
     * script's CPU column leaves out the warm-up; -1 without SERVER_PID.
     */
    private static long serverCpuTicksDuring(long from, long to) throws Exception {
        String pid = System.getenv("SERVER_PID");
        if (pid == null || pid.isEmpty()) {
            return -1;
        }
        Path stat = Path.of("/proc", pid, "stat");
        sleepUntil(from);
        long before = cpuTicks(stat);
        sleepUntil(to);
        return cpuTicks(stat) - before;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    private static long cpuTicks(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" "); // fields from 3 on
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static long seconds(String s) {
        return Math.round(Double.parseDouble(s.endsWith("s") ? s.substring(0, s.length() - 1) : s) * 1e9);
    }

    /** What a connection sends and how it checks an answer; one Slice per connection, used by one thread. */
    interface Workload {
        Slice slice(int index, int of);

        /** After the last answer: keeps what the next run needs. */
        default void finish() throws IOException {
        }
    }

    interface Slice {
        /** The request line's target and the body of the next request. */
        String[] next();

        /** Whether a 200 answer is a success; may keep state from it (a rotated token). */
        boolean accept(int status, String body);
    }

    /** Registry heartbeats: each connection owns the services i with i % connections == index. */
    static final class Heartbeats implements Workload {
        private final Path file;
        private final String tenant;
        private final List<String[]> lines = new ArrayList<>();

        Heartbeats(Path file, String tenant) throws IOException {
            this.file = file;
            this.tenant = tenant;
            for (String line : Files.readAllLines(file)) {
                lines.add(line.split(" "));
            }
        }

        @Override
        public Slice slice(int index, int of) {
            List<String[]> mine = new ArrayList<>();
            for (int i = index; i < lines.size(); i += of) {
                mine.add(lines.get(i)); // shared arrays: the slice updates the token in place
            }
            return new Slice() {
                int cur = -1;

                @Override
                public String[] next() {
                    cur = (cur + 1) % mine.size();
                    String[] service = mine.get(cur);
                    return new String[] {"/v1.0/" + tenant + "/services/" + service[0] + "/heartbeat",
                        "{\"token\":\"" + service[1] + "\"}"};
                }

                @Override
                public boolean accept(int status, String body) {
                    int at = body.indexOf("\"token\":\"");
                    if (status != 200 || at < 0) {
                        return false;
                    }
                    int from = at + 9;
                    mine.get(cur)[1] = body.substring(from, body.indexOf('"', from));
                    return true;
                }
            };
        }

        /** Every service's latest token, so the next run (wrk or this) starts from valid tokens. */
        @Override
        public void finish() throws IOException {
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
                for (String[] line : lines) {
                    out.println(line[0] + " " + line[1]);
                }
            }
        }
    }

    /** etcd keepalives: a keepalive answer without a TTL means the lease is gone, a failed renewal. */
    static final class Keepalives implements Workload {
        private final List<String> leases;

        Keepalives(Path file) throws IOException {
            leases = Files.readAllLines(file);
        }

        @Override
        public Slice slice(int index, int of) {
            List<String> mine = new ArrayList<>();
            for (int i = index; i < leases.size(); i += of) {
                mine.add("{\"ID\":\"" + leases.get(i) + "\"}");
            }
            return new Slice() {
                int cur = -1;

                @Override
                public String[] next() {
                    cur = (cur + 1) % mine.size();
                    return new String[] {"/v3/lease/keepalive", mine.get(cur)};
                }

                @Override
                public boolean accept(int status, String body) {
                    return status == 200 && body.contains("\"TTL\"");
                }
            };
        }
    }

    static final class FixedPost implements Workload {
        private final String path;
        private final String body;

        FixedPost(String path, String body) {
            this.path = path;
            this.body = body;
        }

        @Override
        public Slice slice(int index, int of) {
            return new Slice() {
                @Override
                public String[] next() {
                    return new String[] {path, body};
                }

                @Override
                public boolean accept(int status, String answer) {
                    return status == 200;
                }
            };
        }
    }

    /** One keep-alive connection with at most one request in flight. */
    static final class Connection {
        final int index;
        final Slice slice;
        final String host;
        final InetSocketAddress address;
        SocketChannel channel;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        long due; // fixed rate: the scheduled start of the next request
        long started; // the start latency is measured from (scheduled start at a fixed rate)
        boolean inFlight;

        Connection(int index, Slice slice, String host, InetSocketAddress address, long due) {
            this.index = index;
            this.slice = slice;
            this.host = host;
            this.address = address;
            this.due = due;
        }

        void request() {
            String[] next = slice.next();
            byte[] body = next[1].getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST " + next[0] + " HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            out = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
        }
    }

    /** One selector thread driving its share of the connections. */
    static final class Driver implements Runnable {
        final int index;
        final long start;
        final long measureFrom;
        final long measureTo;
        final long periodNs;
        final List<Connection> connections = new ArrayList<>();
        long[] latencies = new long[1 << 16];
        int samples;
        long completed;
        long failed;
        long socketErrors;
        String example = "";

        Driver(int index, long start, long measureFrom, long measureTo, long periodNs) {
            this.index = index;
            this.start = start;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            this.periodNs = periodNs;
        }

        @Override
        public void run() {
            try (Selector selector = Selector.open()) {
                for (Connection c : connections) {
                    c.channel = SocketChannel.open(c.address);
                    c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c.channel.configureBlocking(false);
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                }
                while (System.nanoTime() < start) {
                    Thread.onSpinWait();
                }
                loop(selector);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void loop(Selector selector) throws IOException {
            long drainUntil = measureTo + 2_000_000_000L;
            while (true) {
                long now = System.nanoTime();
                long nextDue = Long.MAX_VALUE;
                boolean anyInFlight = false;
                for (Connection c : connections) {
                    if (!c.inFlight && c.channel.isOpen() && now < measureTo) {
                        if (periodNs == 0 || c.due <= now) {
                            send(c, now);
                        } else {
                            nextDue = Math.min(nextDue, c.due);
                        }
                    }
                    anyInFlight |= c.inFlight;
                }
                if (now >= measureTo && (!anyInFlight || now >= drainUntil)) {
                    return;
                }
                long waitNs = nextDue == Long.MAX_VALUE ? 100_000_000L : nextDue - now;
                if (waitNs <= 0) {
                    selector.selectNow();
                } else if (waitNs < 1_000_000L) {
                    // select() counts in ms; a sub-ms wait parks (an answer arriving meanwhile is read
                    // up to waitNs late, which the latency then includes: an overestimate, never an under-)
                    java.util.concurrent.locks.LockSupport.parkNanos(waitNs);
                    selector.selectNow();
                } else {
                    selector.select(waitNs / 1_000_000);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    read((Connection) key.attachment());
                }
                selector.selectedKeys().clear();
            }
        }

        private void send(Connection c, long now) throws IOException {
            c.request();
            c.started = periodNs == 0 ? now : c.due;
            c.due += periodNs;
            c.inFlight = true;
            try {
                while (c.out.hasRemaining()) {
                    if (c.channel.write(c.out) == 0) {
                        Thread.onSpinWait(); // a request is < 200 bytes: the socket buffer is never full for long
                    }
                }
            } catch (IOException e) {
                socketError(c, e);
            }
        }

        private void read(Connection c) {
            try {
                if (c.channel.read(c.in) < 0) {
                    throw new IOException("closed by the server");
                }
            } catch (IOException e) {
                socketError(c, e);
                return;
            }
            byte[] data = c.in.array();
            int length = c.in.position();
            int headerEnd = indexOf(data, length, HEADER_END);
            if (headerEnd < 0) {
                return;
            }
            String head = new String(data, 0, headerEnd, StandardCharsets.ISO_8859_1);
            String body;
            int contentLength = contentLength(head);
            if (contentLength >= 0) {
                if (length < headerEnd + 4 + contentLength) {
                    return;
                }
                body = new String(data, headerEnd + 4, contentLength, StandardCharsets.UTF_8);
            } else if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = chunked(data, headerEnd + 4, length); // etcd's JSON gateway answers chunked
                if (body == null) {
                    return;
                }
            } else {
                socketError(c, new IOException("an answer without Content-Length: " + head));
                return;
            }
            long done = System.nanoTime();
            int status = Integer.parseInt(head.substring(9, 12));
            c.in.clear();
            c.inFlight = false;
            boolean ok = c.slice.accept(status, body);
            if (c.started >= measureFrom && done < measureTo) {
                completed++;
                if (!ok) {
                    failed++;
                    example = status + " " + body;
                }
                if (samples == latencies.length) {
                    latencies = Arrays.copyOf(latencies, samples * 2);
                }
                latencies[samples++] = done - c.started;
            }
        }

        private void socketError(Connection c, IOException e) {
            socketErrors++;
            example = "connection " + c.index + ": " + e.getMessage();
            c.inFlight = false;
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // already counted as a socket error
            }
        }

        /** The body of a complete chunked answer (no trailers), or null while it is incomplete. */
        private static String chunked(byte[] data, int from, int length) {
            StringBuilder body = new StringBuilder();
            int at = from;
            while (true) {
                int lineEnd = indexOf(data, at, length, new byte[] {'\r', '\n'});
                if (lineEnd < 0) {
                    return null;
                }
                String sizeField = new String(data, at, lineEnd - at, StandardCharsets.ISO_8859_1);
                int semicolon = sizeField.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeField : sizeField.substring(0, semicolon)).trim(), 16);
                int next = lineEnd + 2 + size + 2;
                if (next > length) {
                    return null;
                }
                if (size == 0) {
                    return body.toString();
                }
                body.append(new String(data, lineEnd + 2, size, StandardCharsets.UTF_8));
                at = next;
            }
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            return -1;
        }

        private static int indexOf(byte[] data, int length, byte[] needle) {
            return indexOf(data, 0, length, needle);
        }

        private static int indexOf(byte[] data, int from, int length, byte[] needle) {
            outer:
            for (int i = from; i <= length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (data[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
