package io.autoreg.agent.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition: the only way tests synchronise with child JVMs and servers. */
public final class Await {

    private static final long POLL_MILLIS = 25;

    private Await() {
    }

    /** Waits until the condition holds; fails with the description after the timeout. */
    public static void until(Duration timeout, BooleanSupplier condition, String description) {
        if (!holdsWithin(timeout, condition)) {
            throw new AssertionError("not within " + timeout.toMillis() + " ms: " + description);
        }
    }

    /** Whether the condition held within the timeout. */
    public static boolean holdsWithin(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            pause();
        }
    }

    /** Checks that the condition keeps holding for the whole period (polled), failing at the first miss. */
    public static void holdsThroughout(Duration period, BooleanSupplier condition, String description) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("stopped holding: " + description);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
