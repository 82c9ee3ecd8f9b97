package io.autoreg.registry.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Counters and gauges for /metrics; every update is a striped add, never a shared lock. */
public final class Metrics {
  private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();
  public final LongAdder heartbeats = new LongAdder();
  public final LongAdder expiries = new LongAdder();
  public final LongAdder storeWrites = new LongAdder();
  public final LongAdder storeFsyncs = new LongAdder();
  public final LongAdder storeLatencyMicros = new LongAdder();
  private volatile LongSupplier liveServices = () -> 0;
  private volatile LongSupplier liveSessions = () -> 0;

  public void request(String route, int status) {
    requests.computeIfAbsent(route + '\u0000' + status, k -> new LongAdder()).increment();
  }

  public void gauges(LongSupplier services, LongSupplier sessions) {
    this.liveServices = services;
    this.liveSessions = sessions;
  }

  /** Prometheus text exposition format 0.0.4. */
  public String render() {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("# HELP autoreg_requests_total HTTP requests by route and status.\n");
    sb.append("# TYPE autoreg_requests_total counter\n");
    Map<String, LongAdder> sorted = new TreeMap<>(requests);
    sorted.forEach((key, count) -> {
      int sep = key.indexOf('\u0000');
      sb.append("autoreg_requests_total{route=\"").append(escape(key.substring(0, sep)))
          .append("\",status=\"").append(key.substring(sep + 1)).append("\"} ").append(count.sum()).append('\n');
    });
    gauge(sb, "autoreg_live_services", "Live services over all tenants.", liveServices.getAsLong());
    gauge(sb, "autoreg_live_sessions", "Live sessions over all tenants.", liveSessions.getAsLong());
    counter(sb, "autoreg_heartbeats_total", "Accepted heartbeats (services and sessions).", heartbeats.sum());
    counter(sb, "autoreg_expiries_total", "Services and sessions removed because their deadline passed.", expiries.sum());
    counter(sb, "autoreg_store_records_total", "Records appended to the journal.", storeWrites.sum());
    counter(sb, "autoreg_store_fsyncs_total", "Journal fsyncs (one per group commit).", storeFsyncs.sum());
    counter(sb, "autoreg_store_fsync_seconds_total", "Time spent writing and fsyncing the journal.",
        storeLatencyMicros.sum() / 1e6);
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
