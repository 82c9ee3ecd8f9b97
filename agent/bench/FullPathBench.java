import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's full path (settings from a config file, the core's reader, the nested libraries jar), builds side by
 * side: for each backend, RUNS alternating runs of the sample app under each build, each started cold with a config
 * file (and for etcd also with the settings as the agent's arguments, which the agent reads itself), and per build the medians of start -> visible in the registry, the process's CPU 1.5 s after that (clock
 * ticks), the agent's threads' CPU (autoreg-*, schedstat), and how many runs printed a JVM warning on the host's
 * stderr. Run by full-path-bench.sh; not part of the tests.
 *
 * <p>Arguments: java sampleJar registryApi etcdUrl|- eurekaUrl|- runs label=agentJar...
 */
public final class FullPathBench {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final long TICK_MS = 10; // USER_HZ is 100 on Linux
    private static final Pattern KEY = Pattern.compile("\"key\":\"([A-Za-z0-9+/=]*)\"");

    record Run(double visibleMs, double cpuMs, double agentThreadsMs, boolean warned) {}

    public static void main(String[] args) throws Exception {
        String java = args[0], sampleJar = args[1], registryApi = args[2], etcd = args[3], eureka = args[4];
        int runs = Integer.parseInt(args[5]);
        Map<String, String> builds = new LinkedHashMap<>();
        for (int i = 6; i < args.length; i++) {
            String[] labelJar = args[i].split("=", 2);
            builds.put(labelJar[0], labelJar[1]);
        }
        Path work = Files.createTempDirectory("full-path-bench");
        // a config file for each backend (the core's settings reader), and etcd from the agent's arguments (the
        // settings the agent reads itself); service-registry from arguments is agent/bench/startup-bench.sh's case
        List<String> setups = new ArrayList<>(List.of("service-registry"));
        if (!etcd.equals("-")) {
            setups.add("etcd");
            setups.add("etcd arguments");
        }
        if (!eureka.equals("-")) {
            setups.add("eureka");
            setups.add("eureka arguments");
        }
        for (String setup : setups) {
            boolean byArguments = setup.endsWith(" arguments");
            String backend = byArguments ? setup.substring(0, setup.indexOf(' ')) : setup;
            String url = backend.equals("etcd") ? etcd : backend.equals("eureka") ? eureka : registryApi;
            Map<String, List<Run>> results = new LinkedHashMap<>();
            builds.keySet().forEach(label -> results.put(label, new ArrayList<>()));
            // one run per build first, not counted: it writes the user's copy of the nested jar, as a first JVM does
            for (var build : builds.entrySet()) {
                runOnce(java, sampleJar, build.getValue(), backend, byArguments, url, "warmup-" + build.getKey(), work);
            }
            List<String> order = new ArrayList<>(builds.keySet());
            for (int run = 0; run < runs; run++) {
                for (String label : order) {
                    String name = "fp-" + backend.charAt(0) + (byArguments ? "a" : "") + "-" + label + "-" + run;
                    results.get(label)
                            .add(runOnce(java, sampleJar, builds.get(label), backend, byArguments, url, name, work));
                }
                Collections.reverse(order); // alternate who goes first
            }
            print(byArguments ? backend + " (agent arguments)" : backend + " (config file)", runs, results);
        }
    }

    private static void print(String backend, int runs, Map<String, List<Run>> results) {
        System.out.printf("%nbackend %s, %d alternating runs per build%n", backend, runs);
        System.out.printf(
                "%-12s %18s %22s %22s %16s%n",
                "build", "start->visible", "CPU 1.5 s after", "autoreg-* threads", "JVM warnings");
        Run first = null;
        for (var entry : results.entrySet()) {
            List<Run> list = entry.getValue();
            Run median = new Run(
                    median(list.stream().mapToDouble(Run::visibleMs).toArray()),
                    median(list.stream().mapToDouble(Run::cpuMs).toArray()),
                    median(list.stream().mapToDouble(Run::agentThreadsMs).toArray()),
                    false);
            long warned = list.stream().filter(Run::warned).count();
            String ratio = first == null
                    ? ""
                    : String.format(
                            "  (%.2fx, %.2fx, %.2fx of %s)",
                            median.visibleMs() / first.visibleMs(),
                            median.cpuMs() / first.cpuMs(),
                            median.agentThreadsMs() / first.agentThreadsMs(),
                            results.keySet().iterator().next());
            System.out.printf(
                    "%-12s %15.0f ms %19.0f ms %19.1f ms %12d/%d%s%n",
                    entry.getKey(),
                    median.visibleMs(),
                    median.cpuMs(),
                    median.agentThreadsMs(),
                    warned,
                    list.size(),
                    ratio);
            if (first == null) {
                first = median;
            }
        }
    }

    private static Run runOnce(
            String java,
            String sampleJar,
            String agentJar,
            String backend,
            boolean byArguments,
            String url,
            String name,
            Path work)
            throws Exception {
        String agentArguments;
        if (byArguments) {
            agentArguments = "registry.type=" + backend + ",registry.url=" + url + ",service.name=" + name;
        } else {
            Path config = work.resolve(name + ".conf");
            Files.writeString(
                    config,
                    "autoreg.registry.type = " + backend + "\nautoreg.registry.url = \"" + url + "\"\n"
                            + "autoreg.service.name = " + name + "\n");
            agentArguments = "config=" + config;
        }
        Path stderr = work.resolve(name + ".stderr");
        long start = System.nanoTime();
        Process app = new ProcessBuilder(
                        java,
                        "-Djava.io.tmpdir=" + work,
                        "-javaagent:" + agentJar + "=" + agentArguments,
                        "-jar",
                        sampleJar,
                        "--port",
                        "0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile())
                .start();
        try {
            long deadline = start + TimeUnit.SECONDS.toNanos(30);
            while (!visible(backend, url, name)) {
                if (System.nanoTime() > deadline || !app.isAlive()) {
                    throw new IllegalStateException(name + " not visible in " + backend + ": "
                            + Files.readString(stderr));
                }
                Thread.sleep(5);
            }
            double visibleMs = (System.nanoTime() - start) / 1e6;
            Thread.sleep(1500);
            String procStat = Files.readString(Path.of("/proc/" + app.pid() + "/stat"));
            // after the command name in parentheses: state is field 0, utime 11 and stime 12
            String[] stat = procStat.substring(procStat.lastIndexOf(')') + 2).split(" ");
            double cpuMs = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) * TICK_MS;
            double agentMs = agentThreadsCpuMs(app.pid());
            app.destroy();
            app.waitFor(20, TimeUnit.SECONDS);
            boolean warned = Files.readString(stderr).contains("VM warning");
            return new Run(visibleMs, cpuMs, agentMs, warned);
        } finally {
            app.destroyForcibly();
        }
    }

    /** On-CPU time of the live threads named autoreg-* (the agent's and its backend's), from schedstat. */
    private static double agentThreadsCpuMs(long pid) throws IOException {
        long ns = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("autoreg")) {
                        ns += Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return ns / 1e6;
    }

    private static boolean visible(String backend, String url, String name) {
        try {
            if (backend.equals("etcd")) {
                Base64.Encoder b64 = Base64.getEncoder();
                String body = "{\"key\":\"" + b64.encodeToString("/autoreg/services/".getBytes(StandardCharsets.UTF_8))
                        + "\",\"range_end\":\""
                        + b64.encodeToString("/autoreg/services0".getBytes(StandardCharsets.UTF_8))
                        + "\",\"keys_only\":true}";
                String answer = HTTP.send(
                                HttpRequest.newBuilder(URI.create(url + "/v3/kv/range"))
                                        .timeout(Duration.ofSeconds(2))
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                // keys come back base64-encoded; a registration's key is <prefix>/<name>/<id>
                Matcher key = KEY.matcher(answer);
                while (key.find()) {
                    if (new String(Base64.getDecoder().decode(key.group(1)), StandardCharsets.UTF_8)
                            .contains("/" + name + "/")) {
                        return true;
                    }
                }
                return false;
            }
            if (backend.equals("eureka")) {
                // the app is the upper-cased service name; Eureka answers 404 until an instance of it registered
                return HTTP.send(
                                        HttpRequest.newBuilder(URI.create(url + "/apps/" + name.toUpperCase(Locale.ROOT)))
                                                .header("Accept", "application/json")
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200;
            }
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url + "/services?name=" + name))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("\"" + name);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
