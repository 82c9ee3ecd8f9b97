package io.autoreg.sidecar.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition; the only way tests wait. */
public final class Await {
    private Await() {
    }

    /** Polls every 25 ms; fails with {@code what} when the condition is still false after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }

    /** The time the condition took to become true, failing after {@code timeout}. */
    public static Duration timed(Duration timeout, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        until(timeout, what, condition);
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
