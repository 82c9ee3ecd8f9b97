package io.autoreg.core.internal.lifecycle;

import java.time.Duration;
import java.util.Random;

/**
 * Capped exponential backoff with full jitter: attempt n (1-based) waits a uniformly random time in
 * {@code [0, min(cap, initial × 2^(n-1))]}. Full jitter spreads a fleet of instances that lost the
 * registry at the same moment, so they do not all come back in lockstep.
 */
public final class Backoff {

    private final long initialMillis;
    private final long capMillis;
    private final Random random;

    public Backoff(Duration initial, Duration cap, Random random) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.capMillis = Math.max(initialMillis, cap.toMillis());
        this.random = random;
    }

    /** The upper bound for attempt {@code n}. */
    public long ceilingMillis(int attempt) {
        int shift = Math.min(Math.max(attempt, 1) - 1, 30);
        long bound = initialMillis << shift;
        return bound <= 0 || bound > capMillis ? capMillis : bound;
    }

    /** A random delay for attempt {@code n} (1-based). */
    public Duration delay(int attempt) {
        long ceiling = ceilingMillis(attempt);
        synchronized (random) {
            return Duration.ofMillis((long) (random.nextDouble() * (ceiling + 1)));
        }
    }
}
