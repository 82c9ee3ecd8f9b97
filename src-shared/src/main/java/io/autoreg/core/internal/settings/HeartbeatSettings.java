package io.autoreg.core.internal.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code autoreg.heartbeat.*} and {@code autoreg.retry.*}: how often a registration is renewed and
 * how failed calls are retried.
 *
 * @param timeout        the registry-side time-to-live (3s..120s for service-registry)
 * @param interval       explicit renewal interval, or null to derive it from the timeout (docs/api.md §8:
 *                       0.6×T below 15 s, 0.8×T above, always leaving at least 3 s of margin)
 * @param initialBackoff first retry delay bound after a failed call ({@code autoreg.retry.initial-backoff})
 * @param maxBackoff     cap of the retry delay ({@code autoreg.retry.max-backoff})
 */
public record HeartbeatSettings(Duration timeout, Duration interval, Duration initialBackoff, Duration maxBackoff) {

    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

    public HeartbeatSettings {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
    }

    /** With the default backoff (250 ms doubling up to 10 s). */
    public HeartbeatSettings(Duration timeout, Duration interval) {
        this(timeout, interval, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
    }

    /**
     * A lease for a registration with heartbeat timeout {@code ttl}: three of its renewal intervals in whole seconds
     * (at least 2), so that renewals come at a third of the lease and two may be lost before it expires. etcd's
     * lease TTL, for the core's client and the agent's light one alike.
     */
    public static long leaseSeconds(Duration ttl) {
        long millis = new HeartbeatSettings(ttl, null)
                .effectiveInterval()
                .multipliedBy(3)
                .toMillis();
        return Math.max(2, (millis + 999) / 1000);
    }

    /**
     * The renewal interval: the configured one, else derived per docs/api.md §8 — 0.6×T below 15 s,
     * 0.8×T from 15 s, lowered so that at least 3 s remain before the deadline, but never below T/3
     * (for T ≤ 4 s a 3 s margin is impossible; three beats per timeout is the best left).
     */
    public Duration effectiveInterval() {
        if (interval != null) {
            return interval;
        }
        long t = timeout.toMillis();
        long base = t < 15_000 ? t * 6 / 10 : t * 8 / 10;
        long withMargin = Math.min(base, t - 3_000);
        return Duration.ofMillis(Math.max(t / 3, withMargin));
    }
}
