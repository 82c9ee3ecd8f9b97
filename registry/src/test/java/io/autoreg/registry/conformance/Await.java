package io.autoreg.registry.conformance;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting on conditions, so that no test synchronises with a bare sleep. */
public final class Await {
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails the test when {@code bound} runs out first. */
    public static void until(Duration bound, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
            }
            pause(POLL_MILLIS);
        }
    }

    /**
     * Checks that {@code condition} holds on every poll for the whole {@code window}: the way to show that
     * something does NOT happen (a service that must not be timed out), which no event can signal.
     */
    public static void holdsFor(Duration window, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + window.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("stopped holding within " + window.toMillis() + " ms: " + what);
            }
            pause(POLL_MILLIS);
        } while (System.nanoTime() - end < 0);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
