package io.autoreg.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition; never a bare sleep as synchronisation. */
public final class Await {

    private Await() {
    }

    public static void until(Duration timeout, BooleanSupplier condition) {
        until(timeout, condition, "condition");
    }

    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not reached within " + timeout.toMillis() + " ms");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
