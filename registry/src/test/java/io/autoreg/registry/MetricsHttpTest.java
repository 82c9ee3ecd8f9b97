package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.events.EventLog;
import io.autoreg.registry.metrics.Metrics;
import io.autoreg.registry.support.LocalRegistry;
import io.autoreg.registry.support.RawHttp;
import io.autoreg.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * /metrics read as Prometheus reads it: the text exposition format 0.0.4 parsed line by line (every
 * sample under a declared family, histograms with cumulative buckets ending in +Inf = _count), with
 * the registry's own families, JVM and process metrics, per-tenant live gauges and the journal's
 * fsync histogram, and the events feed's watchers by kind.
 */
class MetricsHttpTest {
    @RegisterExtension
    static final LocalRegistry registry = new LocalRegistry();

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: \\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    record Sample(String name, Map<String, String> labels, double value) {}

    record Scrape(Map<String, String> types, List<Sample> samples) {
        List<Sample> named(String name) {
            return samples.stream().filter(s -> s.name().equals(name)).toList();
        }

        double value(String name, Map<String, String> labels) {
            return samples.stream()
                    .filter(s -> s.name().equals(name) && s.labels().equals(labels))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + name + labels))
                    .value();
        }
    }

    @BeforeAll
    static void traffic() {
        var http = registry.http();
        assertEquals(
                201,
                http.post("/v1.0/m1/services", "{\"id\":\"alpha1\",\"heartbeat_timeout\":30}")
                        .status());
        assertEquals(
                201,
                http.post("/v1.0/m1/services", "{\"id\":\"bravo1\",\"heartbeat_timeout\":30}")
                        .status());
        assertEquals(
                201,
                http.post("/v1.0/m2/services", "{\"id\":\"charlie1\",\"heartbeat_timeout\":30}")
                        .status());
        assertEquals(
                201,
                http.post("/v1.0/m2/sessions", "{\"heartbeat_timeout\":30}").status());
        assertEquals(200, http.get("/v1.0/m1/services").status());
    }

    private static Scrape scrape() {
        var answer = registry.http().get("/metrics");
        assertEquals(200, answer.status());
        assertTrue(
                answer.header("Content-Type").startsWith("text/plain; version=0.0.4"), answer.header("Content-Type"));
        return parse(answer.raw().body());
    }

    /** The text format's grammar: HELP and TYPE once per family, before its samples; samples name=value. */
    static Scrape parse(String text) {
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ")) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertEquals(4, parts.length, line);
                assertTrue(
                        List.of("counter", "gauge", "histogram", "summary", "untyped")
                                .contains(parts[3]),
                        line);
                assertEquals(null, types.put(parts[2], parts[3]), "family declared twice: " + line);
                continue;
            }
            assertFalse(line.startsWith("#"), "unknown comment: " + line);
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null && !m.group(2).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                assertEquals(m.group(2).length(), end, "bad labels: " + line);
            }
            String name = m.group(1);
            String family = family(name, types);
            assertNotNull(family, "sample without a TYPE line before it: " + line);
            samples.add(new Sample(name, labels, Double.parseDouble(m.group(3).replace("+Inf", "Infinity"))));
        }
        return new Scrape(types, samples);
    }

    private static String family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_total", "_created", "_info"}) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return null;
    }

    /** Buckets cumulative, the last le="+Inf" equal to _count, for every series of a histogram. */
    private static void assertHistogram(Scrape scrape, String name, Map<String, String> series) {
        assertEquals("histogram", scrape.types().get(name), name);
        List<Sample> buckets = scrape.named(name + "_bucket").stream()
                .filter(s -> {
                    Map<String, String> rest = new TreeMap<>(s.labels());
                    rest.remove("le");
                    return rest.equals(series);
                })
                .toList();
        assertTrue(buckets.size() > 2, name + series + " buckets: " + buckets);
        double previous = 0;
        double previousLe = Double.NEGATIVE_INFINITY;
        for (Sample bucket : buckets) {
            double le = Double.parseDouble(bucket.labels().get("le").replace("+Inf", "Infinity"));
            assertTrue(le > previousLe, "bounds ascending: " + buckets);
            assertTrue(bucket.value() >= previous, "buckets cumulative: " + buckets);
            previous = bucket.value();
            previousLe = le;
        }
        assertEquals("+Inf", buckets.get(buckets.size() - 1).labels().get("le"));
        double count = scrape.value(name + "_count", series);
        assertEquals(count, previous, name + series);
        assertTrue(count >= 1, name + series + " count " + count);
        assertTrue(scrape.value(name + "_sum", series) > 0, name + series);
    }

    @Test
    void requestLatencyIsAHistogramPerRouteWithoutTenants() {
        Scrape scrape = scrape();
        assertHistogram(scrape, "autoreg_request_duration_seconds", Map.of("route", "/v1.0/{tenant}/services"));
        assertTrue(
                scrape.named("autoreg_request_duration_seconds_bucket").stream()
                        .allMatch(s -> s.labels().keySet().equals(java.util.Set.of("route", "le"))),
                "labels: route and le only");
        assertEquals("counter", scrape.types().get("autoreg_requests_total"));
        assertTrue(scrape.value("autoreg_requests_total", Map.of("route", "/v1.0/{tenant}/services", "status", "201"))
                >= 3);
    }

    @Test
    void journalFsyncsAreAHistogramInSeconds() {
        Scrape scrape = scrape();
        assertHistogram(scrape, "autoreg_store_fsync_seconds", Map.of());
        assertTrue(scrape.value("autoreg_store_fsyncs_total", Map.of()) >= 1);
        assertTrue(scrape.value("autoreg_store_records_total", Map.of()) >= 4);
        assertEquals(
                scrape.value("autoreg_store_fsyncs_total", Map.of()),
                scrape.value("autoreg_store_fsync_seconds_count", Map.of()));
    }

    @Test
    void liveServicesAndSessionsPerTenant() {
        Scrape scrape = scrape();
        assertEquals("gauge", scrape.types().get("autoreg_tenant_live_services"));
        assertEquals(2, scrape.value("autoreg_tenant_live_services", Map.of("tenant", "m1")));
        assertEquals(1, scrape.value("autoreg_tenant_live_services", Map.of("tenant", "m2")));
        assertEquals(1, scrape.value("autoreg_tenant_live_sessions", Map.of("tenant", "m2")));
        assertTrue(scrape.named("autoreg_tenant_live_sessions").stream()
                .noneMatch(s -> "m1".equals(s.labels().get("tenant"))));
        assertTrue(scrape.value("autoreg_live_services", Map.of()) >= 3);
        assertTrue(scrape.value("autoreg_live_sessions", Map.of()) >= 1);
        var quotas = registry.server().settings().quotas();
        assertEquals(quotas.services(), scrape.value("autoreg_quota_limit", Map.of("resource", "services")));
        assertEquals(quotas.sessions(), scrape.value("autoreg_quota_limit", Map.of("resource", "sessions")));
        assertEquals(quotas.writesPerWindow(), scrape.value("autoreg_quota_limit", Map.of("resource", "writes")));
        assertEquals(quotas.rateWindow().toSeconds(), scrape.value("autoreg_rate_limit_window_seconds", Map.of()));
    }

    @Test
    void watchersOfTheEventsFeedByKind() throws Exception {
        var http = registry.http();
        assertEquals(
                201,
                http.post("/v1.0/m3/services", "{\"id\":\"seed\",\"heartbeat_timeout\":30}")
                        .status());
        var page = http.get("/v1.0/m3/events?limit=1000").json().get("values");
        String marker = page.get(page.size() - 1).get("id").asText();
        try (RawHttp poll = watcher("/v1.0/m3/events?wait=30&marker=" + marker, "application/json");
                RawHttp stream = watcher("/v1.0/m3/events", "text/event-stream")) {
            assertEquals("gauge", scrape().types().get("autoreg_watchers"));
            Await.until(Duration.ofSeconds(10), () -> watchers("long_poll") == 1 && watchers("stream") == 1, "1 + 1");
            assertEquals(
                    201,
                    http.post("/v1.0/m3/services", "{\"id\":\"joined\",\"heartbeat_timeout\":30}")
                            .status());
            // The join answers the long poll (its client would poll again); the stream stays open.
            Await.until(Duration.ofSeconds(10), () -> watchers("long_poll") == 0, "the answered poll gone");
            assertEquals(200, poll.read(false).status(), "the poll was answered, not dropped");
            assertEquals(1, watchers("stream"));
            assertEquals(200, stream.readStatusAndHeaders().status(), "the stream is open");
        }
    }

    /** The minutely prune's figures, in a registry of their own (the server's prune runs once a minute). */
    @Test
    void theEventsFeedsPruneSaysWhatItKeptAndDroppedByReason() {
        Metrics metrics = new Metrics();
        metrics.eventsPruned(new EventLog.Pruned(1, 2, 3, 40));
        metrics.eventsPruned(new EventLog.Pruned(0, 0, 5, 44));
        Scrape scrape = parse(new String(metrics.render(), StandardCharsets.UTF_8));
        assertEquals("gauge", scrape.types().get("autoreg_events_kept"));
        assertEquals(44, scrape.value("autoreg_events_kept", Map.of()));
        assertEquals("counter", scrape.types().get("autoreg_events_dropped_total"));
        assertEquals(1, scrape.value("autoreg_events_dropped_total", Map.of("reason", "retention")));
        assertEquals(2, scrape.value("autoreg_events_dropped_total", Map.of("reason", "tenant_cap")));
        assertEquals(8, scrape.value("autoreg_events_dropped_total", Map.of("reason", "total_cap")));
        // the server's own scrape has them from the start
        assertEquals("gauge", scrape().types().get("autoreg_events_kept"));
    }

    private static double watchers(String kind) {
        return scrape().value("autoreg_watchers", Map.of("kind", kind));
    }

    /** A client on the events feed over its own connection, its request sent and its answer not read. */
    private static RawHttp watcher(String path, String accept) {
        return RawHttp.connect(registry.server().port())
                .send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + accept + "\r\n\r\n");
    }

    @Test
    void jvmProcessAndBuildInfo() {
        Scrape scrape = scrape();
        assertTrue(scrape.value("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
        assertTrue(!scrape.named("jvm_threads_current").isEmpty(), "jvm_threads_current");
        assertEquals("counter", scrape.types().get("process_cpu_seconds_total"));
        assertTrue(scrape.value("process_cpu_seconds_total", Map.of()) > 0);
        assertEquals(
                1,
                scrape.value(
                        "autoreg_build_info",
                        Map.of(
                                "component",
                                "registry",
                                "version",
                                "unknown",
                                "java_version",
                                System.getProperty("java.version"))));
    }
}
