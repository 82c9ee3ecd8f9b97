package io.autoreg.backendsit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition, polled every 50 ms. */
final class Await {

    private Await() {
    }

    /**
     * Waits until the condition holds; fails with {@code what} when it does not within {@code bound},
     * also when one slow evaluation of the condition only turned true after the bound.
     */
    static Duration until(Duration bound, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            pause();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (took.compareTo(bound) > 0) {
            throw new AssertionError("only after " + took.toMillis() + " ms, not within " + bound + ": " + what);
        }
        return took;
    }

    /** Checks that the condition holds all the time for {@code period} (polling), failing at the first miss. */
    static void holdsFor(Duration period, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long end = start + period.toNanos();
        while (System.nanoTime() < end) {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("stopped holding after "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: " + what);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
