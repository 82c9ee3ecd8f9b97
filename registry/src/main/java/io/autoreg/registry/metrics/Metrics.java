package io.autoreg.registry.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Counters and gauges for /metrics; every update is a striped add, never a shared lock. */
public final class Metrics {
  private final ConcurrentHashMap<String, RouteCounters> requests = new ConcurrentHashMap<>();
  public final LongAdder heartbeats = new LongAdder();
  public final LongAdder expiries = new LongAdder();
  public final LongAdder storeWrites = new LongAdder();
  public final LongAdder storeFsyncs = new LongAdder();
  public final LongAdder storeLatencyMicros = new LongAdder();
  private volatile LongSupplier liveServices = () -> 0;
  private volatile LongSupplier liveSessions = () -> 0;
  private final java.util.List<java.util.function.Consumer<StringBuilder>> sections =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public void request(String route, int status) {
    RouteCounters counters = requests.get(route);
    if (counters == null) {
      counters = requests.computeIfAbsent(route, r -> new RouteCounters());
    }
    counters.count(status);
  }

  /** Counters of one route, indexed by status code (100..599), created on first use. */
  private static final class RouteCounters {
    private final java.util.concurrent.atomic.AtomicReferenceArray<LongAdder> byStatus =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(600);

    void count(int status) {
      int i = status >= 100 && status < 600 ? status : 599;
      LongAdder adder = byStatus.get(i);
      if (adder == null) {
        byStatus.compareAndSet(i, null, new LongAdder());
        adder = byStatus.get(i);
      }
      adder.increment();
    }

    void forEach(java.util.function.ObjIntConsumer<Long> out) {
      for (int i = 0; i < 600; i++) {
        LongAdder adder = byStatus.get(i);
        if (adder != null) {
          out.accept(adder.sum(), i);
        }
      }
    }
  }

  public void gauges(LongSupplier services, LongSupplier sessions) {
    this.liveServices = services;
    this.liveSessions = sessions;
  }

  /** Implementation-Version of the registry jar; "unknown" when run from classes (tests, IDE). */
  private static final String VERSION = versionOf(Metrics.class);

  private static String versionOf(Class<?> type) {
    String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }

  /** Adds metrics that a feature renders itself (HELP, TYPE and samples) to every scrape. */
  public void section(java.util.function.Consumer<StringBuilder> writer) {
    sections.add(writer);
  }

  /** Prometheus text exposition format 0.0.4. */
  public String render() {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("# HELP autoreg_requests_total HTTP requests by route and status.\n");
    sb.append("# TYPE autoreg_requests_total counter\n");
    Map<String, RouteCounters> sorted = new TreeMap<>(requests);
    sorted.forEach((route, counters) -> counters.forEach((count, status) ->
        sb.append("autoreg_requests_total{route=\"").append(escape(route)).append("\",status=\"").append(status)
            .append("\"} ").append(count).append('\n')));
    gauge(sb, "autoreg_live_services", "Live services over all tenants.", liveServices.getAsLong());
    gauge(sb, "autoreg_live_sessions", "Live sessions over all tenants.", liveSessions.getAsLong());
    counter(sb, "autoreg_heartbeats_total", "Accepted heartbeats (services and sessions).", heartbeats.sum());
    counter(sb, "autoreg_expiries_total", "Services and sessions removed because their deadline passed.", expiries.sum());
    counter(sb, "autoreg_store_records_total", "Records appended to the journal.", storeWrites.sum());
    counter(sb, "autoreg_store_fsyncs_total", "Journal fsyncs (one per group commit).", storeFsyncs.sum());
    counter(sb, "autoreg_store_fsync_seconds_total", "Time spent writing and fsyncing the journal.",
        storeLatencyMicros.sum() / 1e6);
    sections.forEach(section -> section.accept(sb));
    sb.append("# HELP autoreg_build_info The registry's version (from its jar's manifest) and the JVM's; always 1.\n");
    sb.append("# TYPE autoreg_build_info gauge\n");
    sb.append("autoreg_build_info{component=\"registry\",version=\"").append(escape(VERSION))
        .append("\",java_version=\"").append(escape(System.getProperty("java.version", "unknown"))).append("\"} 1\n");
    return sb.toString();
  }

  private static void gauge(StringBuilder sb, String name, String help, long value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
  }

  private static void counter(StringBuilder sb, String name, String help, Object value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
