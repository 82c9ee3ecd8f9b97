import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The watchers benchmark (run as {@code java WatchersBench.java key=value ...}, see bench/README.md): N watchers
 * on one NIO selector thread (no thread per watcher), a heartbeat load at a fixed rate on a few keep-alive
 * connections of the same selector, and changes (a service joining, then the same service timing out) whose
 * arrival at every watcher is timed. Targets:
 * <pre>
 *   mode=poll   the registry's long poll   GET /v1.0/{tenant}/events?marker=&wait=
 *   mode=sse    the registry's event stream GET /v1.0/{tenant}/events (Accept: text/event-stream)
 *   mode=etcd   etcd 3.4's JSON gateway    POST /v3/watch (streaming, one watch per connection, key prefix)
 * </pre>
 * Keys: base, watchers, tenants, changes (joins, each followed by its timeout), warmups (changes made and
 * delivered first, not counted: the client's and the server's first run through the delivery path), ttl (s), hbfile ("id token"
 * lines for the registry, lease IDs for etcd), hbtenant, hbrate (/s), hbconns, baseline (s), pid (server), gclog
 * (the server's {@code -Xlog:gc:file=F:timenanos}, for the GC pauses inside the join windows).
 * Prints one line: RESULT key=value ...
 */
public final class WatchersBench {
  private static final Pattern REG_EVENT = Pattern.compile(
      "\"timestamp\":(\\d+),\"type\":\"service\\.(join|timeout)\",\"payload\":\\{\"id\":\"chg-(\\d+)\"");
  private static final Pattern REG_ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\",\"timestamp\"");
  private static final Pattern ETCD_EVENT = Pattern.compile("\\{(\"type\":\"DELETE\",)?\"kv\":\\{\"key\":\"([A-Za-z0-9+/=]+)\"");
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern ETCD_LEASE_ID = Pattern.compile("\"ID\"\\s*:\\s*\"?(\\d+)");

  private final Map<String, String> opt;
  private final String mode;
  private final String host;
  private final int port;
  private final int watchers;
  private final int tenants;
  private final int changes;
  private final int warmups;
  /** Changes made: the warm-up ones first, then the counted ones. */
  private final int total;
  private final int ttl;
  /** deliveredAt[w * 2 * total + 2 * change + kind]: wall ms the watcher first held the event, 0 until then. */
  private final AtomicLongArray delivered;
  private final long[][] changeStart; // [2 * change + kind][tenant]: wall ms of the change
  /**
   * [(2 * change + kind) * tenants + tenant]: the registry's timestamp of each event, from the event itself (same
   * machine, same clock): a join's time, and a timeout's deadline — a create queued behind 99 others on a loaded
   * server starts its TTL late, which is not delivery time. etcd's events carry no time; its timeouts count from
   * the lease grant's send plus the TTL.
   */
  private final AtomicLongArray stamps;
  private final AtomicLong failures = new AtomicLong(); // non-2xx answers, closed connections
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong hbDone = new AtomicLong();
  private final AtomicLong hbBad = new AtomicLong();
  private final AtomicLong armed = new AtomicLong(); // watchers with a request out (poll) or a created watch
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<Conn> watcherConns = new ArrayList<>();
  // filled by the main thread while the selector thread may already iterate it (hbRate is set first)
  private final List<HbConn> hbConns = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** Tenant t's changes, one request in flight at a time. */
  private final Link[] links;

  /** A keep-alive connection for changes, read through a buffer (a read per byte would be a call). */
  private record Link(Socket socket, InputStream in) {}
  private Selector selector;
  private CpuAccount cpu;
  private final GcPauses gcPauses;
  private volatile double hbRate;
  private volatile boolean running = true;

  private WatchersBench(Map<String, String> opt) {
    this.opt = opt;
    this.mode = opt.getOrDefault("mode", "poll");
    if (!List.of("poll", "sse", "etcd").contains(mode)) {
      throw new IllegalArgumentException("mode: poll, sse or etcd, not " + mode);
    }
    URI base = URI.create(opt.get("base"));
    this.host = base.getHost();
    this.port = base.getPort();
    this.watchers = Integer.parseInt(opt.getOrDefault("watchers", "10000"));
    this.tenants = Integer.parseInt(opt.getOrDefault("tenants", "1"));
    this.changes = Integer.parseInt(opt.getOrDefault("changes", "3"));
    this.ttl = Integer.parseInt(opt.getOrDefault("ttl", "3"));
    this.warmups = Integer.parseInt(opt.getOrDefault("warmups", "1"));
    this.total = warmups + changes;
    this.delivered = new AtomicLongArray(watchers * 2 * total);
    this.changeStart = new long[2 * total][tenants];
    this.stamps = new AtomicLongArray(2 * total * tenants);
    this.links = new Link[tenants];
    this.gcPauses = new GcPauses(opt.get("gclog"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      opt.put(a.substring(0, eq), a.substring(eq + 1));
    }
    new WatchersBench(opt).run();
  }

  private String tenant(int t) { return opt.getOrDefault("prefix", "watch") + (tenants == 1 ? "" : "-" + t); }

  private String etcdPrefix(int t) { return String.format("/%s/%03d/", opt.getOrDefault("prefix", "w"), t); }

  private static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

  private void run() throws Exception {
    selector = Selector.open();
    Thread loop = new Thread(this::loop, "bench-selector");
    loop.start();
    ResourceSampler sampler = new ResourceSampler(Long.parseLong(opt.getOrDefault("pid", "0")));
    cpu = new CpuAccount(sampler.pid, ProcessHandle.current().pid());
    try {
      String[] markers = prepareTenants();
      startHeartbeats();
      int baseline = Integer.parseInt(opt.getOrDefault("baseline", "8"));
      long hb0 = hbDone.get();
      long t0 = System.nanoTime();
      sleepMillis(baseline * 1000L);
      double rateAlone = (hbDone.get() - hb0) / ((System.nanoTime() - t0) / 1e9);
      long rssAlone = sampler.rssMiB();
      sampler.start();
      long connectStart = System.nanoTime();
      for (int w = 0; w < watchers; w++) {
        int t = w % tenants;
        Conn c = new Conn(w, t, markers[t]);
        watcherConns.add(c);
      }
      // Connect in waves, so the server's accept backlog never overflows.
      for (int i = 0; i < watchers; i += 500) {
        int from = i;
        tasks.add(() -> {
          for (int w = from; w < Math.min(watchers, from + 500); w++) {
            watcherConns.get(w).connect();
          }
        });
        selector.wakeup();
        waitUntil(() -> armed.get() >= Math.min(watchers, from + 500) || !running, 60_000);
      }
      waitUntil(() -> armed.get() >= watchers, 60_000);
      double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
      sleepMillis(2_000); // the last requests reach the server and park
      long hb1 = hbDone.get();
      long t1 = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long[] atChange = cpu.now();
        long windowStart = System.nanoTime();
        change(i);
        int join = 2 * i;
        int timeout = 2 * i + 1;
        waitUntil(() -> allDelivered(join), 30_000);
        long[] atJoined = cpu.now();
        // CLOCK_MONOTONIC seconds (System.nanoTime on Linux): for `perf record -k CLOCK_MONOTONIC` and `perf report --time`
        long windowEnd = System.nanoTime();
        System.err.printf("join %d window %.6f,%.6f%n", i, windowStart / 1e9, windowEnd / 1e9);
        if (i >= warmups) {
          gcPauses.countJoin(windowStart, windowEnd);
        }
        waitUntil(() -> allDelivered(timeout), 30_000 + ttl * 1000L);
        waitUntil(() -> armed.get() >= watchers, 30_000);
        long[] idleFrom = cpu.now();
        sleepMillis(1_000);
        if (i >= warmups) {
          cpu.countJoin(atChange, atJoined, idleFrom, cpu.now());
        }
      }
      double rateWith = (hbDone.get() - hb1) / ((System.nanoTime() - t1) / 1e9);
      sampler.stop();
      stopHeartbeats();
      report(rateAlone, rateWith, rssAlone, sampler, connectSeconds);
    } finally {
      running = false;
      selector.wakeup();
      loop.join(5_000);
      for (Link link : links) {
        if (link != null) {
          link.socket.close();
        }
      }
    }
  }

  /** One service per tenant (registry) so every poll starts from a marker, as clients do; the marker per tenant. */
  private String[] prepareTenants() throws Exception {
    String[] markers = new String[tenants];
    if (mode.equals("etcd")) {
      return markers;
    }
    String base = opt.get("base");
    for (int t = 0; t < tenants; t++) {
      String path = base + "/v1.0/" + tenant(t);
      send(HttpRequest.newBuilder(URI.create(path + "/services")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"seed\",\"heartbeat_timeout\":120}")), 201);
      String page = send(HttpRequest.newBuilder(URI.create(path + "/events?limit=1000")).GET(), 200);
      Matcher m = REG_ID.matcher(page);
      while (m.find()) {
        markers[t] = m.group(1);
      }
    }
    return markers;
  }

  private String send(HttpRequest.Builder request, int expected) throws Exception {
    HttpResponse<String> answer = http.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != expected) {
      throw new IllegalStateException(answer.uri() + ": " + answer.statusCode() + " " + answer.body());
    }
    return answer.body();
  }

  /**
   * Change i in every tenant at once: a join now (a service that is never heartbeated), its timeout after ttl.
   * For etcd the leases are granted first, so that both servers get the same burst of T writes at once.
   */
  private void change(int i) throws Exception {
    String[] leases = new String[tenants];
    long[] granted = new long[tenants];
    if (mode.equals("etcd")) {
      // All at once: granted one by one on a loaded machine, the first leases ran out before the last put.
      byte[][] grants = new byte[tenants][];
      Arrays.fill(grants, post("/v3/lease/grant", "{\"TTL\":" + ttl + "}"));
      String[] answers = exchange(grants, granted);
      for (int t = 0; t < tenants; t++) {
        Matcher id = ETCD_LEASE_ID.matcher(answers[t]);
        if (!id.find()) {
          throw new IllegalStateException("grant: " + answers[t]);
        }
        leases[t] = id.group(1);
      }
    }
    byte[][] requests = new byte[tenants][];
    for (int t = 0; t < tenants; t++) {
      requests[t] = mode.equals("etcd")
          ? post("/v3/kv/put", "{\"key\":\"" + b64(etcdPrefix(t) + "chg-" + i) + "\",\"value\":\""
              + b64("{\"id\":\"chg-" + i + "\"}") + "\",\"lease\":\"" + leases[t] + "\"}")
          : post("/v1.0/" + tenant(t) + "/services",
              "{\"id\":\"chg-" + i + "\",\"heartbeat_timeout\":" + ttl + ",\"tags\":[\"bench\"]}");
    }
    // The join starts when the client sends it; the timeout is due TTL after the create (etcd: the grant).
    exchange(requests, changeStart[2 * i]);
    for (int t = 0; t < tenants; t++) {
      changeStart[2 * i + 1][t] = (mode.equals("etcd") ? granted[t] : changeStart[2 * i][t]) + ttl * 1000L;
    }
  }

  /**
   * Sends request t on keep-alive connection t (opened on first use, as a client's pool would have it), all
   * written from this thread one write each, sentAt[t] taken just before its write; returns the bodies, throwing on
   * any answer but 2xx. Nothing of the bench's own sits between the clock and the server: sent through
   * java.net.http.HttpClient (its executor, pool and selector thread) a burst of 100 took ~150 ms to reach either
   * server, for both alike, which pulled every ratio towards 1; on a connection per request, its close cost the
   * registry ~5 % of its CPU in the window (XNIO flushes a cancelled key with a selectNow).
   */
  private String[] exchange(byte[][] requests, long[] sentAt) throws IOException {
    String[] answers = new String[requests.length];
    for (int t = 0; t < requests.length; t++) {
      if (links[t] == null) {
        Socket socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        links[t] = new Link(socket, new BufferedInputStream(socket.getInputStream()));
      }
    }
    for (int t = 0; t < requests.length; t++) {
      sentAt[t] = System.currentTimeMillis();
      links[t].socket.getOutputStream().write(requests[t]);
    }
    for (int t = 0; t < requests.length; t++) {
      answers[t] = readAnswer(links[t].in, requests[t]);
    }
    return answers;
  }

  /**
   * The body of the next answer on {@code in} (Content-Length or chunked); throws unless its status is 2xx, naming
   * the request (decoded then only: the answers are read while the change is being delivered).
   */
  private static String readAnswer(InputStream in, byte[] request) throws IOException {
    String status = line(in);
    int length = -1;
    boolean chunked = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      String lower = header.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    StringBuilder body = new StringBuilder();
    if (chunked) {
      for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
        body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
        line(in);
      }
      line(in);
    } else if (length >= 0) {
      body.append(new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }
    if (!status.startsWith("HTTP/1.1 2")) {
      throw new IllegalStateException(new String(request, StandardCharsets.UTF_8) + " -> " + status + " " + body);
    }
    return body.toString();
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("closed by the server");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  /** A whole HTTP/1.1 POST of a JSON body. */
  private byte[] post(String path, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] whole = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, whole, head.length, body.length);
    return whole;
  }

  private boolean allDelivered(int slot) {
    for (int w = 0; w < watchers; w++) {
      if (delivered.get(w * 2 * total + slot) == 0) {
        return false;
      }
    }
    return true;
  }

  private void report(double rateAlone, double rateWith, long rssAlone, ResourceSampler sampler, double connectSeconds) {
    StringBuilder out = new StringBuilder("RESULT mode=" + mode + " watchers=" + watchers + " tenants=" + tenants);
    for (int kind = 0; kind < 2; kind++) {
      List<Long> latencies = new ArrayList<>();
      long lost = 0;
      for (int i = warmups; i < total; i++) {
        for (int w = 0; w < watchers; w++) {
          long latency = latency(w, i, kind);
          if (latency < 0) {
            lost++;
          } else {
            latencies.add(latency);
          }
        }
      }
      long[] sorted = sorted(latencies);
      String name = kind == 0 ? "join" : "timeout";
      out.append(' ').append(name).append("_p99_by_change=").append(p99ByChange(kind));
      if (kind == 0) {
        out.append(" join_created_p99=").append(createdP99());
      }
      out.append(' ').append(name).append("_p50=").append(pct(sorted, 50)).append(' ').append(name).append("_p99=")
          .append(pct(sorted, 99)).append(' ').append(name).append("_max=")
          .append(sorted.length == 0 ? -1 : sorted[sorted.length - 1]).append(' ').append(name).append("_lost=")
          .append(lost);
    }
    out.append(" failures=").append(failures.get()).append(" reconnects=").append(reconnects.get())
        .append(" hb_offered=").append(opt.getOrDefault("hbrate", "0")).append(" hb_alone=").append(Math.round(rateAlone))
        .append(" hb_with=").append(Math.round(rateWith)).append(" hb_bad=").append(hbBad.get())
        .append(" rss_alone=").append(rssAlone).append(" rss_peak=").append(sampler.peakRss)
        .append(" threads_peak=").append(sampler.peakThreads)
        .append(" server_cpu_per_join_ms=").append(cpu.perJoin(0, Math.round(rateAlone), Math.round(rateWith)))
        .append(" client_cpu_per_join_ms=").append(cpu.perJoin(1, Math.round(rateAlone), Math.round(rateWith)))
        .append(String.format(" connect_s=%.1f", connectSeconds)).append(gcPauses.result());
    System.out.println(out);
  }

  /**
   * The registry's joins: p99 over tenants and changes of the client's send to the event's own timestamp (the
   * create's way through the client, the network and the server, before any watcher is answered); -1 for etcd.
   */
  private long createdP99() {
    List<Long> created = new ArrayList<>();
    for (int i = warmups; i < total; i++) {
      for (int t = 0; t < tenants; t++) {
        long stamp = stamps.get(2 * i * tenants + t);
        if (stamp > 0) {
          created.add(stamp - changeStart[2 * i][t]);
        }
      }
    }
    return pct(sorted(created), 99);
  }

  /** Each change's own p99, comma-separated: shows whether one change (the first, say) sets the run's p99. */
  private String p99ByChange(int kind) {
    StringBuilder each = new StringBuilder();
    for (int i = warmups; i < total; i++) {
      List<Long> latencies = new ArrayList<>();
      for (int w = 0; w < watchers; w++) {
        long latency = latency(w, i, kind);
        if (latency >= 0) {
          latencies.add(latency);
        }
      }
      each.append(i == warmups ? "" : ",").append(pct(sorted(latencies), 99));
    }
    return each.toString();
  }

  /**
   * Change i (kind 0 its join, 1 its timeout) to watcher w holding it, ms, or -1 if it never did: a join from the
   * client's send, a timeout from the registry's deadline in the event (etcd: the grant's send plus the TTL).
   */
  private long latency(int w, int i, int kind) {
    long at = delivered.get(w * 2 * total + 2 * i + kind);
    if (at == 0) {
      return -1;
    }
    long start = changeStart[2 * i + kind][w % tenants];
    long deadline = stamps.get((2 * i + kind) * tenants + w % tenants);
    return Math.max(0, at - (kind == 1 && deadline > 0 ? deadline : start));
  }

  private static long[] sorted(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static long pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  // ---- the selector thread ----

  private void loop() {
    List<Endpoint> readers = new ArrayList<>();
    long hbStart = 0;
    long hbIssued = 0;
    try {
      while (running) {
        selector.select(2);
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        // Every ready connection is read (and its answer time taken) before any answer is parsed or re-polled:
        // 10,000 watchers are 10,000 clients, each with a CPU of its own; one thread parsing answer after answer
        // would add its own queue to the later watchers' times, more for a protocol with more client work per
        // event (a long poll's answer and re-poll against a stream's line).
        for (SelectionKey key : selector.selectedKeys()) {
          Endpoint e = (Endpoint) key.attachment();
          try {
            if (key.isValid() && key.isConnectable()) {
              e.connected();
            }
            if (key.isValid() && key.isWritable()) {
              e.flush();
            }
            if (key.isValid() && key.isReadable() && e.read()) {
              readers.add(e);
            }
          } catch (IOException ex) {
            e.failed(ex);
          }
        }
        selector.selectedKeys().clear();
        for (Endpoint e : readers) {
          try {
            e.handleRead();
          } catch (IOException ex) {
            e.failed(ex);
          }
        }
        readers.clear();
        if (hbRate > 0) {
          long now = System.nanoTime();
          if (hbStart == 0) {
            hbStart = now;
          }
          long due = (long) ((now - hbStart) / 1e9 * hbRate);
          for (HbConn c : hbConns) {
            if (hbIssued >= due) {
              break;
            }
            if (c.idle()) {
              c.beat();
              hbIssued++;
            }
          }
          // Offered load the connections could not take is dropped, not queued: the rate stays fixed.
          if (due - hbIssued > hbRate) {
            hbIssued = due;
          }
        }
      }
    } catch (IOException e) {
      System.err.println("selector failed: " + e);
    }
  }

  /** Lets the beats in flight finish, then writes the rotated tokens back for the next run. */
  private void stopHeartbeats() throws IOException {
    String file = opt.get("hbfile");
    if (hbRate == 0 || file == null) {
      return;
    }
    hbRate = 0;
    waitUntil(() -> hbConns.stream().allMatch(HbConn::idle), 10_000);
    List<String> lines = new ArrayList<>();
    for (HbConn c : hbConns) {
      for (String[] s : c.slice) {
        lines.add(String.join(" ", s));
      }
    }
    Files.write(Path.of(file), lines);
  }

  private void startHeartbeats() throws IOException {
    String file = opt.get("hbfile");
    hbRate = Double.parseDouble(opt.getOrDefault("hbrate", "0"));
    if (file == null || hbRate <= 0) {
      hbRate = 0;
      return;
    }
    List<String> lines = Files.readAllLines(Path.of(file));
    int n = Integer.parseInt(opt.getOrDefault("hbconns", "16"));
    for (int i = 0; i < n; i++) {
      List<String[]> slice = new ArrayList<>();
      for (int j = i; j < lines.size(); j += n) {
        slice.add(lines.get(j).split(" "));
      }
      hbConns.add(new HbConn(slice));
    }
    tasks.add(() -> hbConns.forEach(HbConn::connect));
    selector.wakeup();
    sleepMillis(500);
  }

  /** A non-blocking HTTP/1.1 connection: writes its request, reads answers (Content-Length, chunked or a stream). */
  private abstract class Endpoint {
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer out;
    final ByteBuffer in = ByteBuffer.allocate(32 * 1024);
    final StringBuilder text = new StringBuilder();

    void connect() {
      closed = false;
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(new InetSocketAddress(host, port));
        key = channel.register(selector, SelectionKey.OP_CONNECT, this);
      } catch (IOException e) {
        failed(e);
      }
    }

    void connected() throws IOException {
      channel.finishConnect();
      key.interestOps(SelectionKey.OP_READ);
      onConnected();
    }

    void write(String request) throws IOException {
      out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
      flush();
    }

    void flush() throws IOException {
      channel.write(out);
      key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Wall ms of the last read that brought bytes: when an answer completed by it was held. */
    long readAt;
    boolean closed;

    /** Reads what has arrived; true if there is something for {@link #handleRead} (bytes, or the end). */
    boolean read() throws IOException {
      int n;
      boolean got = false;
      while ((n = channel.read(in)) > 0) {
        in.flip();
        text.append(StandardCharsets.ISO_8859_1.decode(in));
        in.clear();
        got = true;
      }
      if (got) {
        readAt = System.currentTimeMillis();
      }
      closed = n < 0;
      return got || closed;
    }

    /** Handles what {@link #read} brought: the answers it completed, then the end of the stream if it came. */
    void handleRead() throws IOException {
      onText();
      if (closed) {
        throw new IOException("closed by the server");
      }
    }

    void failed(IOException e) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      text.setLength(0);
      if (running) {
        onFailed(e);
      }
    }

    /**
     * The body of a complete answer at the start of {@link #text} (removed from it), or null. Handles
     * Content-Length and chunked bodies; sets {@link #status}.
     */
    String takeAnswer() {
      int headEnd = text.indexOf("\r\n\r\n");
      if (headEnd < 0) {
        return null;
      }
      String head = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
      status = Integer.parseInt(head.substring(9, 12));
      int bodyStart = headEnd + 4;
      int cl = head.indexOf("content-length:");
      if (cl >= 0) {
        int end = head.indexOf('\r', cl);
        int length = Integer.parseInt(head.substring(cl + 15, end < 0 ? head.length() : end).trim());
        if (text.length() < bodyStart + length) {
          return null;
        }
        String body = text.substring(bodyStart, bodyStart + length);
        text.delete(0, bodyStart + length);
        return body;
      }
      if (head.contains("transfer-encoding: chunked")) {
        StringBuilder body = new StringBuilder();
        int at = bodyStart;
        while (true) {
          int lineEnd = text.indexOf("\r\n", at);
          if (lineEnd < 0) {
            return null;
          }
          int size = Integer.parseInt(text.substring(at, lineEnd).trim(), 16);
          if (text.length() < lineEnd + 2 + size + 2) {
            return null;
          }
          body.append(text, lineEnd + 2, lineEnd + 2 + size);
          at = lineEnd + 2 + size + 2;
          if (size == 0) {
            text.delete(0, at);
            return body.toString();
          }
        }
      }
      String body = text.substring(bodyStart);
      text.setLength(0);
      return body;
    }

    int status;

    abstract void onConnected() throws IOException;

    abstract void onText() throws IOException;

    abstract void onFailed(IOException e);
  }

  /** One watcher: a long poll re-sent after every answer, or one streaming request (SSE, etcd watch). */
  private final class Conn extends Endpoint {
    final int w;
    final int t;
    String marker;
    boolean streamStarted;

    Conn(int w, int t, String marker) {
      this.w = w;
      this.t = t;
      this.marker = marker;
    }

    @Override
    void onConnected() throws IOException {
      switch (mode) {
        case "poll" -> poll();
        case "sse" -> {
          write("GET /v1.0/" + tenant(t) + "/events" + (marker == null ? "" : "?marker=" + marker)
              + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: text/event-stream\r\n"
              + (marker == null ? "" : "Last-Event-ID: " + marker + "\r\n") + "\r\n");
        }
        default -> {
          String body = "{\"create_request\":{\"key\":\"" + b64(etcdPrefix(t)) + "\",\"range_end\":\""
              + b64(etcdPrefix(t).substring(0, etcdPrefix(t).length() - 1) + "0") + "\"}}";
          write("POST /v3/watch HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
              + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        }
      }
    }

    private void poll() throws IOException {
      write("GET /v1.0/" + tenant(t) + "/events?wait=55" + (marker == null ? "" : "&marker=" + marker)
          + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n");
      armed.incrementAndGet();
    }

    @Override
    void onText() throws IOException {
      if (mode.equals("poll")) {
        String body;
        while ((body = takeAnswer()) != null) {
          armed.decrementAndGet();
          if (status != 200) {
            failures.incrementAndGet();
          } else {
            long now = readAt;
            Matcher m = REG_EVENT.matcher(body);
            while (m.find()) {
              record(Integer.parseInt(m.group(3)), m.group(2).equals("join") ? 0 : 1, now, Long.parseLong(m.group(1)));
            }
            Matcher id = REG_ID.matcher(body);
            while (id.find()) {
              marker = id.group(1);
            }
          }
          poll();
        }
        return;
      }
      // A stream: the head once, then complete lines (SSE lines, or etcd's one JSON message per chunk).
      if (!streamStarted) {
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
          return;
        }
        int s = Integer.parseInt(text.substring(9, 12));
        if (s != 200) {
          failures.incrementAndGet();
        }
        text.delete(0, headEnd + 4);
        streamStarted = true;
        if (mode.equals("sse")) {
          armed.incrementAndGet();
        }
      }
      int lastLine = text.lastIndexOf("\n");
      if (lastLine < 0) {
        return;
      }
      String lines = text.substring(0, lastLine + 1);
      text.delete(0, lastLine + 1);
      long now = readAt;
      if (mode.equals("sse")) {
        Matcher m = REG_EVENT.matcher(lines);
        while (m.find()) {
          record(Integer.parseInt(m.group(3)), m.group(2).equals("join") ? 0 : 1, now, Long.parseLong(m.group(1)));
        }
      } else {
        if (lines.contains("\"created\":true")) {
          armed.incrementAndGet();
        }
        Matcher m = ETCD_EVENT.matcher(lines);
        while (m.find()) {
          String k = new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8);
          int dash = k.lastIndexOf("chg-");
          if (dash >= 0) {
            record(Integer.parseInt(k.substring(dash + 4)), m.group(1) == null ? 0 : 1, now, 0);
          }
        }
      }
    }

    /** {@code stamp}: the registry's timestamp of the event (a timeout's is its deadline), 0 for etcd. */
    private void record(int change, int kind, long now, long stamp) {
      if (change < total) {
        delivered.compareAndSet(w * 2 * total + 2 * change + kind, 0, now);
        if (stamp > 0) {
          stamps.compareAndSet((2 * change + kind) * tenants + t, 0, stamp);
        }
      }
    }

    @Override
    void onFailed(IOException e) {
      // A watcher whose connection broke reconnects and resumes from its marker; counted, never silent.
      failures.incrementAndGet();
      reconnects.incrementAndGet();
      if (mode.equals("poll")) {
        armed.decrementAndGet();
      } else if (streamStarted) {
        armed.decrementAndGet();
      }
      streamStarted = false;
      connect();
    }
  }

  /** A heartbeat connection: one request at a time, cycling over its slice of services (or etcd leases). */
  private final class HbConn extends Endpoint {
    final List<String[]> slice;
    int next;
    volatile boolean busy = true; // until connected
    int current;

    HbConn(List<String[]> slice) { this.slice = slice; }

    boolean idle() { return !busy; }

    @Override
    void onConnected() { busy = false; }

    void beat() {
      busy = true;
      current = next;
      next = (next + 1) % slice.size();
      String[] s = slice.get(current);
      String path;
      String body;
      if (mode.equals("etcd")) {
        path = "/v3/lease/keepalive";
        body = "{\"ID\":\"" + s[0] + "\"}";
      } else {
        path = "/v1.0/" + opt.getOrDefault("hbtenant", "bench") + "/services/" + s[0] + "/heartbeat";
        body = "{\"token\":\"" + s[1] + "\"}";
      }
      try {
        write("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body);
      } catch (IOException e) {
        failed(e);
      }
    }

    @Override
    void onText() {
      String body = takeAnswer();
      if (body == null) {
        return;
      }
      if (status == 200 && (mode.equals("etcd") ? body.contains("\"TTL\"") : true)) {
        if (!mode.equals("etcd")) {
          Matcher m = TOKEN.matcher(body);
          if (m.find()) {
            slice.get(current)[1] = m.group(1);
          }
        }
        hbDone.incrementAndGet();
      } else {
        hbBad.incrementAndGet();
      }
      busy = false;
    }

    @Override
    void onFailed(IOException e) {
      hbBad.incrementAndGet();
      busy = true;
      connect();
    }
  }

  /**
   * CPU (user + system, from /proc/PID/stat in 10 ms ticks) of the server and of this bench during each counted
   * join, from its send to the last watcher holding it, less what the same span costs when nothing changes (the
   * heartbeats and the parked watchers, measured in the quiet second after the change): the work of one change's
   * delivery on each side of the 2 cores they share, for the long poll an answer and a new request per watcher.
   */
  private static final class CpuAccount {
    private final long[] pids;
    private final long[] spent = new long[2];
    private int joins;

    CpuAccount(long server, long client) { this.pids = new long[] {server, client}; }

    /** [server ms, client ms, wall ms] now. */
    long[] now() {
      return new long[] {millis(pids[0]), millis(pids[1]), System.currentTimeMillis()};
    }

    void countJoin(long[] from, long[] to, long[] idleFrom, long[] idleTo) {
      double span = to[2] - from[2];
      System.err.printf("cpu join: %d ms, server %d / client %d ms; idle: %d ms, server %d / client %d ms%n", to[2] - from[2],
          to[0] - from[0], to[1] - from[1], idleTo[2] - idleFrom[2], idleTo[0] - idleFrom[0], idleTo[1] - idleFrom[1]);
      for (int side = 0; side < 2; side++) {
        double idleRate = (idleTo[side] - idleFrom[side]) / (double) Math.max(1, idleTo[2] - idleFrom[2]);
        spent[side] += Math.round((to[side] - from[side]) - idleRate * span);
        busiestIdle[side] = Math.max(busiestIdle[side], idleRate);
      }
      joins++;
    }

    /** Cores each side kept busy in its busiest quiet second. */
    private final double[] busiestIdle = new double[2];

    /**
     * Mean CPU ms per counted join, or -1 when it cannot be told: no pid, a server already using more than 3/4 of
     * a core with nothing changing (etcd 3.4 took 1.35–1.56 cores for its keepalives and watch streams here), or
     * heartbeats below 98 % of their rate alone — the change's work then pushes other work out of the window
     * rather than adding to it.
     */
    long perJoin(int side, long hbAlone, long hbWith) {
      boolean displaced = busiestIdle[0] > 0.75 || (hbAlone > 0 && hbWith < 0.98 * hbAlone);
      return pids[side] == 0 || displaced ? -1 : spent[side] / Math.max(1, joins);
    }

    private static long millis(long pid) {
      if (pid == 0) {
        return 0;
      }
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // the fields after "(comm) ": state is the first, utime the 12th, stime the 13th (proc(5): 14 and 15)
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }
  }

  /**
   * The server's stop-the-world GC pauses inside the counted join windows, from its unified GC log
   * ({@code -Xlog:gc:file=F:timenanos}: each pause's line is written when it ends, stamped with the JVM's
   * CLOCK_MONOTONIC nanoseconds, the clock of System.nanoTime here). A watcher cannot be answered while the
   * server is stopped, so this is the part of each join's latency that no protocol change removes.
   */
  private static final class GcPauses {
    private static final Pattern PAUSE = Pattern.compile("\\[(\\d+)ns\\] GC\\(\\d+\\) Pause (\\w+).* ([\\d.]+)ms$");
    private final Path log;
    private final List<long[]> windows = new ArrayList<>();

    GcPauses(String log) { this.log = log == null ? null : Path.of(log); }

    void countJoin(long startNanos, long endNanos) { windows.add(new long[] {startNanos, endNanos}); }

    /** " gc_pause_per_join_ms=M gc_full_in_joins=N", -1 each without a log. */
    String result() {
      if (log == null || windows.isEmpty()) {
        return " gc_pause_per_join_ms=-1 gc_full_in_joins=-1";
      }
      double pausedNanos = 0;
      int full = 0;
      try {
        for (String line : Files.readAllLines(log)) {
          Matcher m = PAUSE.matcher(line);
          if (!m.find()) {
            continue;
          }
          long end = Long.parseLong(m.group(1));
          long start = end - Math.round(Double.parseDouble(m.group(3)) * 1e6);
          for (long[] w : windows) {
            long overlap = Math.min(end, w[1]) - Math.max(start, w[0]);
            if (overlap > 0) {
              pausedNanos += overlap;
              full += m.group(2).equals("Full") ? 1 : 0;
            }
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("gclog " + log + ": " + e, e);
      }
      return String.format(" gc_pause_per_join_ms=%d gc_full_in_joins=%d", Math.round(pausedNanos / 1e6 / windows.size()), full);
    }
  }

  /** Peak RSS and thread count of the server, from /proc, every 100 ms. */
  private static final class ResourceSampler {
    final long pid;
    volatile long peakRss;
    volatile long peakThreads;
    private volatile boolean on;
    private Thread thread;

    ResourceSampler(long pid) { this.pid = pid; }

    long rssMiB() { return field("VmRSS:") / 1024; }

    long field(String name) {
      if (pid == 0) {
        return 0;
      }
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith(name)) {
            return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
          }
        }
      } catch (IOException e) {
        return 0;
      }
      return 0;
    }

    void start() {
      on = true;
      thread = new Thread(() -> {
        while (on) {
          peakRss = Math.max(peakRss, rssMiB());
          peakThreads = Math.max(peakThreads, field("Threads:"));
          sleepMillis(100);
        }
      }, "bench-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() { on = false; }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier done, long maxMillis) {
    long deadline = System.currentTimeMillis() + maxMillis;
    while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
      sleepMillis(20);
    }
  }
}
