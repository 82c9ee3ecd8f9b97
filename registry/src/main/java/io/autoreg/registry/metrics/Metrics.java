package io.autoreg.registry.metrics;

import io.autoreg.registry.events.EventLog;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The registry's metrics on the Prometheus Java client: one {@link PrometheusRegistry} per server
 * (tests run several servers in one JVM), JVM and process metrics included. Hot paths hold data
 * points resolved once (per route, per status), so counting a request allocates nothing.
 */
public final class Metrics {
    /** Time to answer a request, in seconds: a heartbeat is well under a millisecond, a list page up to seconds. */
    private static final double[] REQUEST_BUCKETS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };
    /** Time to write and fsync one group commit of the journal, in seconds (disks range from 50 µs to 100s of ms). */
    private static final double[] FSYNC_BUCKETS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false)
            .build();
    private final Counter requests = Counter.builder()
            .name("autoreg_requests_total")
            .help("HTTP requests by route and status.")
            .labelNames("route", "status")
            .register(registry);
    private final Histogram requestSeconds = Histogram.builder()
            .name("autoreg_request_duration_seconds")
            .help("Time from the request's start to its answer's end, by route.")
            .labelNames("route")
            .classicOnly()
            .classicUpperBounds(REQUEST_BUCKETS)
            .register(registry);
    private final Counter heartbeats =
            counter("autoreg_heartbeats_total", "Accepted heartbeats (services and sessions).");
    private final Counter expiries =
            counter("autoreg_expiries_total", "Services and sessions removed because their deadline passed.");
    private final Counter storeWrites = counter("autoreg_store_records_total", "Records appended to the journal.");
    private final Counter storeFsyncs = counter("autoreg_store_fsyncs_total", "Journal fsyncs (one per group commit).");
    private final Histogram fsyncSeconds = Histogram.builder()
            .name("autoreg_store_fsync_seconds")
            .help("Time to write and fsync one group commit of the journal.")
            .classicOnly()
            .classicUpperBounds(FSYNC_BUCKETS)
            .register(registry);
    private final Counter eventsDropped = Counter.builder()
            .name("autoreg_events_dropped_total")
            .help("Events dropped from the feed by the minutely prune: past the retention, over a tenant's cap"
                    + " (events.max-per-tenant), over the cap of all tenants (events.max-total).")
            .labelNames("reason")
            .register(registry);
    private volatile long eventsKept;
    private volatile Supplier<Map<String, Integer>> liveServices = Map::of;
    private volatile Supplier<Map<String, Integer>> liveSessions = Map::of;
    private volatile IntSupplier parkedLongPolls = () -> 0;
    private volatile IntSupplier openStreams = () -> 0;

    public Metrics() {
        JvmMetrics.builder().register(registry);
        GaugeWithCallback.builder()
                .name("autoreg_live_services")
                .help("Live services over all tenants.")
                .callback(cb -> cb.call(TenantGauge.total(liveServices.get())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("autoreg_live_sessions")
                .help("Live sessions over all tenants.")
                .callback(cb -> cb.call(TenantGauge.total(liveSessions.get())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("autoreg_watchers")
                .help("Clients watching the events feed: long polls parked now, event streams open now.")
                .labelNames("kind")
                .callback(cb -> {
                    cb.call(parkedLongPolls.getAsInt(), "long_poll");
                    cb.call(openStreams.getAsInt(), "stream");
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("autoreg_events_kept")
                .help("Events kept in all tenants after the last prune (every minute), against events.max-total.")
                .callback(cb -> cb.call(eventsKept))
                .register(registry);
        TenantGauge.register(
                registry, "autoreg_tenant_live_services", "Live services per tenant", () -> liveServices.get());
        TenantGauge.register(
                registry, "autoreg_tenant_live_sessions", "Live sessions per tenant", () -> liveSessions.get());
        Info build = Info.builder()
                .name("autoreg_build_info")
                .help("The registry's version (from its jar's manifest) and the JVM's; always 1.")
                .labelNames("component", "version", "java_version")
                .register(registry);
        build.setLabelValues("registry", VERSION, System.getProperty("java.version", "unknown"));
    }

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).register(registry);
    }

    /** Where features (the rate limiter) register metrics of their own. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The counters and latency histogram of one route, resolved once; see {@link #route}. */
    public final class RouteMetrics {
        private final String route;
        private final DistributionDataPoint seconds;
        private final AtomicReferenceArray<CounterDataPoint> byStatus = new AtomicReferenceArray<>(600);

        private RouteMetrics(String route) {
            this.route = route;
            this.seconds = requestSeconds.labelValues(route);
        }

        /** Counts one answered request that took {@code nanos} (negative: not measured). */
        public void request(int status, long nanos) {
            int i = status >= 100 && status < 600 ? status : 599;
            CounterDataPoint counter = byStatus.get(i);
            if (counter == null) {
                byStatus.compareAndSet(i, null, requests.labelValues(route, Integer.toString(i)));
                counter = byStatus.get(i);
            }
            counter.inc();
            if (nanos >= 0) {
                seconds.observe(nanos / 1e9);
            }
        }
    }

    /** The metrics of one route label; callers keep it (one per known route) so a request costs no lookup. */
    public RouteMetrics route(String label) {
        return new RouteMetrics(label);
    }

    public void heartbeat() {
        heartbeats.inc();
    }

    public void expiry() {
        expiries.inc();
    }

    /** One group commit of {@code records} records that took {@code nanos} to write and fsync. */
    public void journalCommit(int records, long nanos) {
        storeFsyncs.inc();
        storeWrites.inc(records);
        fsyncSeconds.observe(nanos / 1e9);
    }

    /** What the minutely prune of the events feed dropped and left. */
    public void eventsPruned(EventLog.Pruned pruned) {
        eventsDropped.labelValues("retention").inc(pruned.pastRetention());
        eventsDropped.labelValues("tenant_cap").inc(pruned.overTenantCap());
        eventsDropped.labelValues("total_cap").inc(pruned.overTotal());
        eventsKept = pruned.kept();
    }

    /** Live services and sessions per tenant, read at each scrape. */
    public void liveCounts(Supplier<Map<String, Integer>> services, Supplier<Map<String, Integer>> sessions) {
        this.liveServices = services;
        this.liveSessions = sessions;
    }

    /** Parked long polls and open event streams, read at each scrape. */
    public void watchers(IntSupplier longPolls, IntSupplier streams) {
        this.parkedLongPolls = longPolls;
        this.openStreams = streams;
    }

    /** Implementation-Version of the registry jar; "unknown" when run from classes (tests, IDE). */
    private static final String VERSION = versionOf(Metrics.class);

    private static String versionOf(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    /** The content type of {@link #render()}: Prometheus text exposition format 0.0.4. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Prometheus text exposition format 0.0.4. */
    public byte[] render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return out.toByteArray();
    }
}
