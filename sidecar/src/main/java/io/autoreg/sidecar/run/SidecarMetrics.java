package io.autoreg.sidecar.run;

import io.autoreg.core.internal.lifecycle.RegistrationState;
import io.autoreg.sidecar.cli.ManifestVersion;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The sidecar's metrics on the Prometheus Java client (as the registry's): per neighbour, labelled by its
 * service id and name, so the series are bounded by the neighbours configured; plus JVM, process and
 * build metrics. Neighbour gauges and counters are read from {@link NeighbourWatcher#snapshot()} at each
 * scrape; only the probe durations are recorded as they happen.
 */
final class SidecarMetrics {
    /** Probe time in seconds: a local HTTP or TCP check takes well under a millisecond, a hung one its timeout. */
    private static final double[] CHECK_BUCKETS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    private static final String STATE_NONE = "none";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false)
            .build();
    private final Histogram checkSeconds = Histogram.builder()
            .name("autoreg_sidecar_check_duration_seconds")
            .help("Time one health check of the neighbour took, pass or fail.")
            .labelNames("id", "name")
            .classicOnly()
            .classicUpperBounds(CHECK_BUCKETS)
            .register(registry);
    private final long startedMillis = System.currentTimeMillis();
    private volatile List<NeighbourWatcher> watchers = List.of();

    SidecarMetrics() {
        JvmMetrics.builder().register(registry);
        Info build = Info.builder()
                .name("autoreg_build_info")
                .help("The sidecar's version (from its jar's manifest) and the JVM's; always 1.")
                .labelNames("component", "version", "java_version")
                .register(registry);
        build.setLabelValues("sidecar", ManifestVersion.version(), System.getProperty("java.version", "unknown"));
        GaugeWithCallback.builder()
                .name("autoreg_sidecar_neighbour_healthy")
                .help("1 while the neighbour passes its check (after rise), else 0.")
                .labelNames("id", "name")
                .callback(cb -> each(s -> cb.call(s.healthy() ? 1 : 0, id(s), name(s))))
                .register(registry);
        GaugeWithCallback.builder()
                .name("autoreg_sidecar_neighbour_registered")
                .help("1 while the registry holds the neighbour, else 0.")
                .labelNames("id", "name")
                .callback(cb -> each(s -> cb.call(s.registered() ? 1 : 0, id(s), name(s))))
                .register(registry);
        GaugeWithCallback.builder()
                .name("autoreg_sidecar_neighbour_state")
                .help(
                        "1 for the neighbour's registration state (none: not registered by the sidecar), 0 for the others.")
                .labelNames("id", "name", "state")
                .callback(cb -> each(s -> {
                    String current = s.registration() == null ? STATE_NONE : stateLabel(s.registration());
                    cb.call(current.equals(STATE_NONE) ? 1 : 0, id(s), name(s), STATE_NONE);
                    for (RegistrationState state : RegistrationState.values()) {
                        cb.call(current.equals(stateLabel(state)) ? 1 : 0, id(s), name(s), stateLabel(state));
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder()
                .name("autoreg_sidecar_neighbour_registry_failures")
                .help("Consecutive failed registry calls (register, heartbeat) for the neighbour; 0 after a success.")
                .labelNames("id", "name")
                .callback(cb -> each(s -> cb.call(s.registryFailures(), id(s), name(s))))
                .register(registry);
        CounterWithCallback.builder()
                .name("autoreg_sidecar_checks_total")
                .help("Health checks run, by result.")
                .labelNames("id", "name", "result")
                .callback(cb -> each(s -> {
                    cb.call(s.passes(), id(s), name(s), "pass");
                    cb.call(s.failures(), id(s), name(s), "fail");
                }))
                .register(registry);
        CounterWithCallback.builder()
                .name("autoreg_sidecar_transitions_total")
                .help("Registrations and deregistrations caused by checks.")
                .labelNames("id", "name", "to")
                .callback(cb -> each(s -> {
                    cb.call(s.registrations(), id(s), name(s), "registered");
                    cb.call(s.deregistrations(), id(s), name(s), "deregistered");
                }))
                .register(registry);
        GaugeWithCallback.builder()
                .name("autoreg_sidecar_uptime_seconds")
                .help("Seconds since the sidecar started.")
                .callback(cb -> cb.call((System.currentTimeMillis() - startedMillis) / 1000.0))
                .register(registry);
    }

    /** Where {@code neighbour}'s watcher records each probe's duration, in seconds. */
    DistributionDataPoint checkSeconds(Neighbour neighbour) {
        return checkSeconds.labelValues(
                neighbour.instance().id(), neighbour.instance().name());
    }

    /** The watchers whose state the scrape reads. */
    void watch(List<NeighbourWatcher> watchers) {
        this.watchers = List.copyOf(watchers);
    }

    private void each(Consumer<NeighbourWatcher.Snapshot> action) {
        watchers.forEach(watcher -> action.accept(watcher.snapshot()));
    }

    private static String id(NeighbourWatcher.Snapshot s) {
        return s.neighbour().instance().id();
    }

    private static String name(NeighbourWatcher.Snapshot s) {
        return s.neighbour().instance().name();
    }

    private static String stateLabel(RegistrationState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** The content type of {@link #render()}: Prometheus text exposition format 0.0.4. */
    String contentType() {
        return writer.getContentType();
    }

    /** Prometheus text exposition format 0.0.4. */
    byte[] render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return out.toByteArray();
    }
}
