package io.autoreg.registry.limits;

import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Metering;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Fixed-window request budgets per tenant: one for reads, one for writes, so that a storm of
 * (re-)registrations never starves discovery and a polling storm never blocks registration.
 * Heartbeats are not metered at all (see {@link Metering#HEARTBEAT}). A request over a budget gets
 * 429 with Retry-After (the rest of the window). The log says once per window when a tenant passes
 * 80 % of a budget and when it is first refused.
 *
 * <p>Memory is bounded: at most {@value #MAX_TENANTS} tenants are tracked (an open server accepts any
 * tenant name); when full, ended windows are dropped (they carry nothing: the next request starts a
 * new one), and if it is still full, new tenants share one overflow budget until it is not.
 */
public final class RateLimiter {
    static final int MAX_TENANTS = 10_000;
    private static final int MAX_METRIC_TENANTS = 1_000;
    private static final int MAX_RATIO_SERIES = 100;
    private static final String OVERFLOW = "*";
    private final Map<String, Budgets> tenants = new ConcurrentHashMap<>();
    private final Map<String, LongAdder[]> refused = new ConcurrentHashMap<>();
    private final Quotas quotas;
    private final LongSupplier clock;
    private final Consumer<String> log;
    private final AtomicLong lastPrune = new AtomicLong(Long.MIN_VALUE / 2);

    /** A tenant's two windows (index {@code Metering.ordinal() - 1}: reads, writes). */
    private static final class Budgets {
        final Window[] windows = {new Window(), new Window()};
    }

    private static final class Window {
        volatile long start = Long.MIN_VALUE / 2;
        final AtomicLong used = new AtomicLong();
        final AtomicBoolean refusalLogged = new AtomicBoolean();
    }

    public RateLimiter(Quotas quotas, LongSupplier clock) {
        this(quotas, clock, line -> System.err.println("[autoreg] registry: WARNING: " + line));
    }

    RateLimiter(Quotas quotas, LongSupplier clock, Consumer<String> log) {
        this.quotas = quotas;
        this.clock = clock;
        this.log = log;
    }

    /** Counts one request against its budget, or throws 429 rateLimitReached; heartbeats pass uncounted. */
    public void acquire(String tenant, Metering metering) {
        if (metering == Metering.HEARTBEAT) {
            return;
        }
        int kind = metering == Metering.READ ? 0 : 1;
        long limit = limit(kind);
        long windowMillis = quotas.rateWindow().toMillis();
        long now = clock.getAsLong();
        Window window = current(budgets(tenant).windows[kind], now, windowMillis);
        while (true) {
            long used = window.used.get();
            if (used >= limit) {
                refuse(tenant, kind, window, now, windowMillis, limit);
            }
            if (window.used.compareAndSet(used, used + 1)) {
                if (used + 1 == warnAt(limit)) {
                    log.accept("tenant " + tenant + " has used 80% of its " + name(kind) + " budget (" + (used + 1)
                            + " of "
                            + limit + " per " + describe(windowMillis)
                            + "); requests over it get 429 until the window ends ("
                            + settingKey(kind) + ")");
                }
                return;
            }
        }
    }

    private void refuse(String tenant, int kind, Window window, long now, long windowMillis, long limit) {
        long retryAfter = Math.max(1, window.start + windowMillis - now);
        countRefusal(tenant, kind);
        if (window.refusalLogged.compareAndSet(false, true)) {
            log.accept("tenant " + tenant + " is over its " + name(kind) + " budget of " + limit + " per "
                    + describe(windowMillis) + ": refusing with 429 for the next " + (retryAfter + 999) / 1000 + " s ("
                    + settingKey(kind) + ")");
        }
        throw ApiError.tooManyRequests(
                "Rate limit reached",
                "More than " + limit + " " + name(kind) + " within " + describe(windowMillis)
                        + "; heartbeats are not limited; retry after the window ends",
                retryAfter);
    }

    /** The window of {@code now}, starting a new one when the last ended. */
    private static Window current(Window window, long now, long windowMillis) {
        if (now - window.start >= windowMillis) {
            synchronized (window) {
                if (now - window.start >= windowMillis) {
                    window.used.set(0);
                    window.refusalLogged.set(false);
                    window.start = now;
                }
            }
        }
        return window;
    }

    private Budgets budgets(String tenant) {
        Budgets budgets = tenants.get(tenant);
        if (budgets != null) {
            return budgets;
        }
        if (tenants.size() >= MAX_TENANTS) {
            pruneEnded();
            if (tenants.size() >= MAX_TENANTS) {
                return tenants.computeIfAbsent(OVERFLOW, t -> new Budgets());
            }
        }
        return tenants.computeIfAbsent(tenant, t -> new Budgets());
    }

    /** Drops tenants whose windows both ended, at most once a second (so a flood of names costs no O(n) each). */
    private void pruneEnded() {
        long now = clock.getAsLong();
        long last = lastPrune.get();
        if (now - last < 1_000 || !lastPrune.compareAndSet(last, now)) {
            return;
        }
        long windowMillis = quotas.rateWindow().toMillis();
        tenants.entrySet()
                .removeIf(e -> now - e.getValue().windows[0].start >= windowMillis
                        && now - e.getValue().windows[1].start >= windowMillis);
    }

    private void countRefusal(String tenant, int kind) {
        LongAdder[] counters = refused.get(tenant);
        if (counters == null) {
            String key = refused.size() < MAX_METRIC_TENANTS ? tenant : OVERFLOW;
            counters = refused.computeIfAbsent(key, t -> new LongAdder[] {new LongAdder(), new LongAdder()});
        }
        counters[kind].increment();
    }

    /** Requests counted in the tenant's current window of that budget (0 when it ended). */
    public long used(String tenant, Metering metering) {
        Budgets budgets = tenants.get(tenant);
        if (budgets == null || metering == Metering.HEARTBEAT) {
            return 0;
        }
        Window window = budgets.windows[metering == Metering.READ ? 0 : 1];
        return clock.getAsLong() - window.start >= quotas.rateWindow().toMillis() ? 0 : window.used.get();
    }

    /** Registers refusals per tenant, and the budget share used by the busiest tenants, read at each scrape. */
    public void register(PrometheusRegistry registry) {
        CounterWithCallback.builder()
                .name("autoreg_rate_limit_refused_total")
                .help("Requests refused with 429 by the rate limit, per tenant (tenant \"*\": tenants beyond the first "
                        + MAX_METRIC_TENANTS + ").")
                .labelNames("tenant", "class")
                .callback(cb -> refused.forEach((tenant, counters) -> {
                    for (int kind = 0; kind < 2; kind++) {
                        cb.call(counters[kind].sum(), tenant, name(kind));
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder()
                .name("autoreg_rate_limit_used_ratio")
                .help("Share of the current window's budget a tenant has used (the " + MAX_RATIO_SERIES
                        + " busiest tenants per class).")
                .labelNames("tenant", "class")
                .callback(cb -> busiest((tenant, kind, ratio) -> cb.call(ratio, tenant, name(kind))))
                .register(registry);
    }

    interface RatioSink {
        void accept(String tenant, int kind, double ratio);
    }

    /** The {@value #MAX_RATIO_SERIES} busiest tenants of each budget in their current window. */
    void busiest(RatioSink out) {
        long now = clock.getAsLong();
        long windowMillis = quotas.rateWindow().toMillis();
        for (int kind = 0; kind < 2; kind++) {
            List<Map.Entry<String, Long>> busiest = new ArrayList<>();
            for (Map.Entry<String, Budgets> e : tenants.entrySet()) {
                Window window = e.getValue().windows[kind];
                if (now - window.start < windowMillis && window.used.get() > 0) {
                    busiest.add(Map.entry(e.getKey(), window.used.get()));
                }
            }
            busiest.sort(
                    Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            long limit = limit(kind);
            for (Map.Entry<String, Long> e : busiest.subList(0, Math.min(MAX_RATIO_SERIES, busiest.size()))) {
                out.accept(e.getKey(), kind, (double) e.getValue() / limit);
            }
        }
    }

    int trackedTenants() {
        return tenants.size();
    }

    private long limit(int kind) {
        return kind == 0 ? quotas.readsPerWindow() : quotas.writesPerWindow();
    }

    private static long warnAt(long limit) {
        return Math.max(1, (limit * 8 + 9) / 10);
    }

    private static String name(int kind) {
        return kind == 0 ? "reads" : "writes";
    }

    private static String settingKey(int kind) {
        return "autoreg.server.rate-limit." + name(kind);
    }

    /** The window as the original wrote it ("24.0 hours"), in minutes or seconds when shorter. */
    public static String describe(long millis) {
        if (millis >= 3_600_000) {
            return String.format(Locale.ROOT, "%.1f hours", millis / 3_600_000.0);
        }
        if (millis >= 60_000) {
            return String.format(Locale.ROOT, "%.1f minutes", millis / 60_000.0);
        }
        return String.format(Locale.ROOT, "%.1f seconds", millis / 1_000.0);
    }
}
