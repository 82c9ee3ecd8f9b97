package io.autoreg.registry.limits;

import io.autoreg.registry.http.ApiError;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** A fixed-window request counter per tenant; striped counters, so heartbeats share no lock. */
public final class RateLimiter {
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Quotas quotas;
  private final LongSupplier clock;

  private static final class Window {
    volatile long start;
    final LongAdder used = new LongAdder();

    Window(long start) { this.start = start; }
  }

  public RateLimiter(Quotas quotas, LongSupplier clock) {
    this.quotas = quotas;
    this.clock = clock;
  }

  /** Counts one request; throws 400 rateLimitReached once the tenant's window is used up. */
  public void acquire(String tenant) {
    long now = clock.getAsLong();
    Window window = windows.get(tenant);
    if (window == null) {
      window = windows.computeIfAbsent(tenant, t -> new Window(now));
    }
    long windowMillis = quotas.rateWindow().toMillis();
    if (now - window.start >= windowMillis) {
      synchronized (window) {
        if (now - window.start >= windowMillis) {
          window.start = now;
          window.used.reset();
        }
      }
    }
    window.used.increment();
    if (window.used.sum() > quotas.requestsPerWindow()) {
      throw new ApiError(400, "rateLimitReached", "Rate limit reached",
          "More than " + quotas.requestsPerWindow() + " requests within " + describe(quotas.rateWindow().toMillis()));
    }
  }

  public long used(String tenant) {
    Window window = windows.get(tenant);
    return window == null ? 0 : window.used.sum();
  }

  /** The window as the original wrote it: "24.0 hours". */
  public static String describe(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1f hours", millis / 3_600_000.0);
  }
}
