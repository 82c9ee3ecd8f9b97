import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Start-up benchmark of the sample app: no agent / autoreg agent / OpenTelemetry agent (exporters off),
 * alternating runs. Per run: process start -> first HTTP 200 (the app prints its port right after the
 * bind; one GET follows at once, so the harness burns no CPU polling), peak RSS (VmHWM once the JVM has
 * settled, so the agent's background work is included), the process's CPU time (all threads) at the first 200
 * and after settling (less sensitive than wall time to other load on the machine), and for autoreg
 * bind -> visible in the registry.
 *
 * A fourth variant runs a no-op agent (premain does nothing): the JVM's own price for any -javaagent
 * (on JDK 17 it disables the CDS archived module graph, since java.instrument is added to the boot layer),
 * which no agent can go below.
 *
 * Usage (see startup-bench.sh): java StartupBench.java JAVA SAMPLE_JAR AUTOREG_JAR OTEL_JAR|- REGISTRY_API RUNS [NOOP_JAR]
 */
public class StartupBench {

    /** CPU and RSS are read {@link #SETTLE_MILLIS} after the first 200 in every variant (the registry is polled meanwhile). */
    static final long SETTLE_MILLIS = 1500;
    /** How often the registry is asked whether autoreg's entry is there: the resolution of bind -> visible. */
    static final long POLL_MILLIS = 10;
    /** The registry every variant's run polls (set once in main). */
    static String registryApiForPolling;

    record Run(double startMillis, long peakRssKib, double visibleMillis, double cpuAt200Millis, double cpuSettledMillis,
            Map<String, Double> cpuByThread) {
        /** The process's CPU 1.5 s after the first 200 to the nanosecond: its live threads' schedstat, summed. */
        double liveThreadsMillis() {
            return cpuByThread.getOrDefault("(live threads)", 0.0);
        }
    }

    public static void main(String[] args) throws Exception {
        String java = args[0], sampleJar = args[1], autoregJar = args[2], otelJar = args[3], registryApi = args[4];
        int runs = Integer.parseInt(args[5]);
        registryApiForPolling = registryApi;
        // BENCH_QUICK=1: only the no-op agent and autoreg (the ratios the goals are stated in)
        boolean quick = "1".equals(System.getenv("BENCH_QUICK"));
        Map<String, List<String>> variants = new LinkedHashMap<>();
        if (!quick) {
            variants.put("no agent", List.of());
        }
        if (args.length > 6) {
            variants.put("no-op agent", List.of("-javaagent:" + args[6]));
        }
        variants.put("autoreg", List.of("-javaagent:" + autoregJar + "=registry.url=" + registryApi));
        // the variants that register (and are polled for bind -> visible): autoreg and its other builds
        Set<String> registering = new HashSet<>(List.of("autoreg"));
        // BENCH_AGENTS="label=jar,...": other builds of the agent side by side with this one (an experiment
        // against the current build in one run); each registers like autoreg, under "autoreg <label>"
        String others = System.getenv("BENCH_AGENTS");
        if (others != null && !others.isBlank()) {
            for (String other : others.trim().split(",")) {
                String[] labelJar = other.split("=", 2);
                variants.put("autoreg " + labelJar[0],
                        List.of("-javaagent:" + labelJar[1] + "=registry.url=" + registryApi));
                registering.add("autoreg " + labelJar[0]);
            }
        }
        if (!otelJar.equals("-") && !quick) {
            variants.put("OpenTelemetry", List.of("-javaagent:" + otelJar, "-Dotel.traces.exporter=none",
                    "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none"));
        }
        for (String v : variants.keySet()) {          // one warm-up each (page cache), not counted
            runOnce(java, sampleJar, variants.get(v), registering.contains(v) ? registryApi : null, 0, false);
        }
        Map<String, List<Run>> results = alternate(java, sampleJar, variants, registering, registryApi, runs, false);
        String reference = results.containsKey("no agent") ? "no agent" : "no-op agent";
        double base = median(results.get(reference), Run::startMillis);
        double baseRss = median(results.get(reference), r -> r.peakRssKib());
        double baseCpu = median(results.get(reference), Run::cpuAt200Millis);
        System.out.printf("(x: over the %s)%n", reference);
        System.out.printf("%-14s %5s %17s %7s %13s %7s %16s %7s %15s%n", "variant", "runs", "start->200 (med)", "x",
                "peak RSS MiB", "x", "CPU to 200 (med)", "x", "CPU after 1.5 s");
        for (var e : results.entrySet()) {
            double t = median(e.getValue(), Run::startMillis);
            double rss = median(e.getValue(), r -> r.peakRssKib());
            double cpu = median(e.getValue(), Run::cpuAt200Millis);
            double cpuSettled = median(e.getValue(), Run::cpuSettledMillis);
            System.out.printf("%-14s %5d %14.1f ms %6.2fx %13.1f %6.2fx %13.0f ms %6.2fx %12.0f ms%n", e.getKey(), e.getValue().size(),
                    t, t / base, rss / 1024, rss / baseRss, cpu, cpu / baseCpu, cpuSettled);
        }
        if (THREADS) {
            printThreads(results);
        }
        List<Double> visible = new ArrayList<>();
        for (Run r : results.get("autoreg")) {
            if (r.visibleMillis() >= 0) {
                visible.add(r.visibleMillis());
            }
        }
        visible.sort(null);
        double p99 = visible.isEmpty() ? -1 : percentile(visible, 99);
        if (!visible.isEmpty()) {
            System.out.printf("autoreg bind -> visible in registry: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d of %d runs)%n",
                    percentile(visible, 50), p99, visible.get(visible.size() - 1), visible.size(), runs);
        }
        if (results.containsKey("no-op agent")) {
            List<Run> floor = results.get("no-op agent");
            List<Run> autoreg = results.get("autoreg");
            double startX = median(autoreg, Run::startMillis) / median(floor, Run::startMillis);
            double cpuX = median(autoreg, Run::cpuSettledMillis) / median(floor, Run::cpuSettledMillis);
            // the same CPU in nanoseconds: the clock-tick figure above moves in 10 ms steps, 4-5 % of the floor
            double threadsX = median(autoreg, Run::liveThreadsMillis) / median(floor, Run::liveThreadsMillis);
            double rssX = median(autoreg, r -> r.peakRssKib()) / median(floor, r -> r.peakRssKib());
            System.out.printf("autoreg over the no-op agent: start->200 %.2fx, CPU after 1.5 s %.2fx (%.0f vs %.0f ms), peak RSS %.2fx,"
                            + " CPU to 200 %.2fx%n", startX, cpuX, median(autoreg, Run::cpuSettledMillis),
                    median(floor, Run::cpuSettledMillis), rssX,
                    median(autoreg, Run::cpuAt200Millis) / median(floor, Run::cpuAt200Millis));
            double[] startInterval = ratioInterval(autoreg, floor, Run::startMillis);
            System.out.printf("autoreg over the no-op agent: start->200 %.3fx, 95 %% interval %.3f-%.3fx (%d bootstrap resamples"
                            + " of the %d run pairs)%n", startX, startInterval[0], startInterval[1], RESAMPLES, runs);
            System.out.printf("autoreg over the no-op agent: CPU after 1.5 s from schedstat (live threads) %.3fx (%.1f vs %.1f ms)%n",
                    threadsX, median(autoreg, Run::liveThreadsMillis), median(floor, Run::liveThreadsMillis));
            StartOnly startOnly = startOnlyRuns(java, sampleJar, variants, registering, registryApi);
            // one machine-readable line for startup-bench.sh's table over JDKs
            System.out.printf("RATIOS %s %.3f %.3f %.3f %.0f %.0f %.0f %.3f %.3f %.3f %s%n", javaFeature(java),
                    startX, cpuX, rssX, p99, median(autoreg, Run::cpuSettledMillis), median(floor, Run::cpuSettledMillis),
                    threadsX, startInterval[0], startInterval[1], startOnly == null ? "- - - 0" : startOnly.fields());
        }
    }

    /**
     * {@code rounds} rounds of one run per variant, alternating, so that load which comes and goes moves every variant alike;
     * a dot (a colon for runs stopped at the first 200, every 20 rounds) per round on stderr.
     */
    static Map<String, List<Run>> alternate(String java, String sampleJar, Map<String, List<String>> variants,
            Set<String> registering, String registryApi, int rounds, boolean startOnly) throws Exception {
        Map<String, List<Run>> results = new LinkedHashMap<>();
        variants.keySet().forEach(v -> results.put(v, new ArrayList<>()));
        for (int i = 0; i < rounds; i++) {
            for (String v : variants.keySet()) {
                // start-only runs are numbered apart: the number goes into the service name
                int run = startOnly ? 1_000_000 + i : i + 1;
                results.get(v).add(runOnce(java, sampleJar, variants.get(v), registering.contains(v) ? registryApi : null,
                        run, startOnly));
            }
            if (!startOnly) {
                System.err.print(".");
            } else if (i % 20 == 19) {
                System.err.print(":");
            }
        }
        System.err.println();
        return results;
    }

    /** autoreg's start -> 200 over the no-op agent in the start-only runs, with its 95 % interval. */
    record StartOnly(double ratio, double low, double high, int pairs) {
        /** The four fields the RATIOS line ends with. */
        String fields() {
            return String.format("%.3f %.3f %.3f %d", ratio, low, high, pairs);
        }
    }

    /**
     * BENCH_START_RUNS=N: N more alternating runs of the no-op agent and the autoreg builds that stop at the first 200.
     * Start -> 200 varies by ~15 % from run to run on 2 cores (sd 22-25 ms on a 150-200 ms start), so the interval of
     * a ratio of medians is still +-4 % at 150 run pairs, too wide to tell 1.03x from 1.00x; a run here takes ~0.2 s
     * against ~2 s with the settle, so 600 pairs (+-2 %) take ~5 minutes per JDK.
     *
     * @return autoreg's start -> 200 over the no-op agent, its 95 % interval and the pairs run; null when not asked for
     */
    static StartOnly startOnlyRuns(String java, String sampleJar, Map<String, List<String>> variants, Set<String> registering,
            String registryApi) throws Exception {
        String asked = System.getenv("BENCH_START_RUNS");
        int n = asked == null || asked.isBlank() ? 0 : Integer.parseInt(asked.trim());
        if (n <= 0) {
            return null;
        }
        Map<String, List<String>> measured = new LinkedHashMap<>();
        variants.forEach((v, args) -> {
            if (v.equals("no-op agent") || registering.contains(v)) {
                measured.put(v, args);
            }
        });
        Map<String, List<Run>> builds = alternate(java, sampleJar, measured, registering, registryApi, n, true);
        List<Run> floor = builds.remove("no-op agent");
        StartOnly autoreg = null;
        System.out.printf("start->200 alone (%d alternating runs each, stopped at the first 200): no-op agent %.1f ms%n", n,
                median(floor, Run::startMillis));
        for (var e : builds.entrySet()) {
            double x = median(e.getValue(), Run::startMillis) / median(floor, Run::startMillis);
            double[] interval = ratioInterval(e.getValue(), floor, Run::startMillis);
            System.out.printf("  %-20s %.1f ms, %.3fx the no-op agent, 95 %% interval %.3f-%.3fx%n", e.getKey(),
                    median(e.getValue(), Run::startMillis), x, interval[0], interval[1]);
            if (e.getKey().equals("autoreg")) {
                autoreg = new StartOnly(x, interval[0], interval[1], n);
            }
        }
        if (THREADS) {
            printPairedThreads(floor, builds);
        }
        return autoreg;
    }

    /**
     * Each thread's CPU at the first 200 over the no-op agent's in the same pair of runs, the median of those
     * differences: a thread's CPU varies less within a pair than across the run, so a ms shows at a few hundred pairs.
     */
    static void printPairedThreads(List<Run> floor, Map<String, List<Run>> builds) {
        Set<String> names = new java.util.TreeSet<>();
        floor.forEach(r -> names.addAll(r.cpuByThread().keySet()));
        builds.values().forEach(runs -> runs.forEach(r -> names.addAll(r.cpuByThread().keySet())));
        System.out.printf("%-22s %14s", "CPU at the first 200", "no-op (med ms)");
        builds.keySet().forEach(v -> System.out.printf(" %20s", v + " +ms"));
        System.out.println();
        for (String name : names) {
            Metric cpu = r -> r.cpuByThread().getOrDefault(name, 0.0);
            System.out.printf("%-22s %14.1f", name, median(floor, cpu));
            for (List<Run> runs : builds.values()) {
                List<Double> differences = new ArrayList<>();
                for (int i = 0; i < Math.min(runs.size(), floor.size()); i++) {
                    differences.add(cpu.of(runs.get(i)) - cpu.of(floor.get(i)));
                }
                differences.sort(null);
                System.out.printf(" %20.2f", percentile(differences, 50));
            }
            System.out.println();
        }
    }

    /** The feature version of the benchmarked JDK (from its release file). */
    static String javaFeature(String java) {
        try {
            for (String l : Files.readAllLines(Path.of(java).getParent().getParent().resolve("release"))) {
                if (l.startsWith("JAVA_VERSION=")) {
                    String v = l.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return v.contains(".") ? v.substring(0, v.indexOf('.')) : v;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "?";
    }

    /** @param startOnly stop at the first 200: only start -> 200 is measured (no settle, no CPU, RSS or registry) */
    static Run runOnce(String java, String sampleJar, List<String> agentArgs, String registryApi, int run, boolean startOnly)
            throws Exception {
        String name = "bench-" + ProcessHandle.current().pid() + "-" + run + "-" + System.nanoTime() % 100000;
        List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto"));
        String extra = System.getenv("BENCH_JVM_OPTS");     // diagnostics (e.g. -Xlog:class+load), all variants
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(agentArgs);
        cmd.addAll(List.of("-jar", sampleJar, "--port", "0", "--name", name));
        if (registryApi != null) {
            cmd.add(2, "-Dautoreg.service.name=" + name);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("AUTOREG_") || k.startsWith("OTEL_") || k.equals("JAVA_TOOL_OPTIONS"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int port = -1;
            while ((line = out.readLine()) != null) {
                int at = line.indexOf("listening on port ");
                if (at >= 0) {
                    port = Integer.parseInt(line.substring(at + "listening on port ".length()).trim());
                    break;
                }
            }
            if (port < 0) {
                throw new IllegalStateException("no port line");
            }
            long bound = System.nanoTime();
            while (!get200(port)) {
                Thread.onSpinWait();
            }
            double startMillis = (System.nanoTime() - t0) / 1e6;
            if (startOnly) {
                // with BENCH_THREADS=1, each thread's CPU at the first 200: where a start-up cost sits, per thread
                return new Run(startMillis, -1, -1, -1, -1, THREADS ? cpuByThread(p.pid()) : Map.of());
            }
            long at200 = System.nanoTime();
            double cpuAt200 = cpuMillis(p.pid());
            long settled = at200 + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
            double visibleMillis = -1;
            // Every variant's registry is polled the same way until the settle point (or autoreg's entry shows):
            // on 2 cores the poller and the registry compete with the app, so polling only in the autoreg runs
            // (and every 2 ms, as before 2026-12-03) weighed on autoreg's CPU and wall-time figures alone.
            while (System.nanoTime() < settled) {
                if (registered(registryApiForPolling, name)) {
                    if (registryApi != null) {
                        visibleMillis = (System.nanoTime() - bound) / 1e6;
                    }
                    break;
                }
                Thread.sleep(POLL_MILLIS);
            }
            // let background work (the agent's registration, JIT) reach its peak: the same point in every variant
            long left = settled - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            long rss = peakRssKib(p.pid());
            Map<String, Double> byThread = cpuByThread(p.pid());
            return new Run(startMillis, rss, visibleMillis, cpuAt200, cpuMillis(p.pid()), byThread);
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** One raw HTTP/1.0 GET / (no client library start-up in the measurement). */
    static boolean get200(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            o.write("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            byte[] buf = new byte[12];
            int n = s.getInputStream().readNBytes(buf, 0, 12);
            return n == 12 && new String(buf, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static boolean registered(String api, String name) throws InterruptedException {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/services?limit=1000")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.contains("\"" + name + "-");
        } catch (IOException e) {
            return false;
        }
    }

    /** utime + stime of the whole process (all threads, JIT and GC included). */
    static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / CLOCK_TICKS;
    }

    static final long CLOCK_TICKS = 100;

    /** BENCH_THREADS=1: also the CPU of each thread (by name, numbers dropped) 1.5 s after the first 200. */
    static final boolean THREADS = "1".equals(System.getenv("BENCH_THREADS"));

    /**
     * On-CPU time per thread name (digits dropped, so GC or compiler threads add up) at the settle point, from
     * {@code schedstat} (nanoseconds: the clock-tick figures of {@code stat} round a thread's few ms to 0 or 10).
     * Threads that have ended are not listed; "(live threads)" is their sum.
     */
    static Map<String, Double> cpuByThread(long pid) throws IOException {
        Map<String, Double> cpu = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9#]+", "").trim();
                    String schedstat = Files.readString(task.resolve("schedstat"));
                    double ms = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))) / 1e6;
                    cpu.merge(name, ms, Double::sum);
                    cpu.merge("(live threads)", ms, Double::sum);
                } catch (IOException gone) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return cpu;
    }

    /** Mean CPU per thread name per variant (means: a thread missing from a run, one that ended, counts as 0 there). */
    static void printThreads(Map<String, List<Run>> results) {
        Set<String> names = new java.util.TreeSet<>();
        results.values().forEach(runs -> runs.forEach(r -> names.addAll(r.cpuByThread().keySet())));
        System.out.printf("%-22s", "thread (mean ms)");
        results.keySet().forEach(v -> System.out.printf(" %14s", v));
        System.out.println();
        for (String name : names) {
            System.out.printf("%-22s", name);
            for (List<Run> runs : results.values()) {
                double sum = 0;
                for (Run r : runs) {
                    sum += r.cpuByThread().getOrDefault(name, 0.0);
                }
                System.out.printf(" %14.1f", sum / runs.size());
            }
            System.out.println();
        }
        // the agent's own threads per run: a mean moved by a few slow runs shows as a max far from the median
        for (String name : names) {
            if (!name.startsWith("autoreg-")) {
                continue;
            }
            System.out.printf("%-22s", name + " med/max");
            for (List<Run> runs : results.values()) {
                Metric cpu = r -> r.cpuByThread().getOrDefault(name, 0.0);
                double max = 0;
                for (Run r : runs) {
                    max = Math.max(max, cpu.of(r));
                }
                System.out.printf(" %14s", String.format("%.1f/%.1f", median(runs, cpu), max));
            }
            System.out.println();
        }
    }

    static long peakRssKib(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    interface Metric { double of(Run r); }

    static double median(List<Run> runs, Metric m) {
        List<Double> v = new ArrayList<>();
        runs.forEach(r -> v.add(m.of(r)));
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /** Bootstrap resamples for {@link #ratioInterval}; the seed is fixed, so one run's figures print the same twice. */
    static final int RESAMPLES = 2000;

    /**
     * The 95 % interval of median(a) / median(b): the runs resampled with replacement, run i of both variants kept
     * together (they ran back to back, so load that comes and goes moves both), the ratio of medians taken each time,
     * and the 2.5th and 97.5th percentiles of those ratios. A goal of 1.03x is met beyond the machine's noise only when
     * the interval's upper end is under it.
     */
    static double[] ratioInterval(List<Run> a, List<Run> b, Metric m) {
        Random random = new Random(16);
        int n = Math.min(a.size(), b.size());
        List<Double> ratios = new ArrayList<>(RESAMPLES);
        for (int k = 0; k < RESAMPLES; k++) {
            List<Run> sampleA = new ArrayList<>(n);
            List<Run> sampleB = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(n);
                sampleA.add(a.get(pick));
                sampleB.add(b.get(pick));
            }
            ratios.add(median(sampleA, m) / median(sampleB, m));
        }
        ratios.sort(null);
        return new double[] {percentile(ratios, 2.5), percentile(ratios, 97.5)};
    }

    /** The nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, double p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
