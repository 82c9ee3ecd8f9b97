package io.autoreg.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waiting for a condition: the only way the tests synchronise with child processes, servers and
 * threads, never a bare sleep. One copy for every module; the overloads keep the names and argument orders
 * the per-module copies had (condition first or description first), so moving a test here changes only its
 * import.
 */
public final class Await {

    private static final long POLL_MILLIS = 25;

    private Await() {}

    /** Waits until the condition holds; fails after the timeout. */
    public static void until(Duration timeout, BooleanSupplier condition) {
        until(timeout, condition, "condition");
    }

    /** Waits until the condition holds; fails with the description after the timeout. */
    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        if (!holdsWithin(timeout, condition)) {
            throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
        }
    }

    /**
     * Waits until the condition holds and answers how long that took; fails with {@code what} when it does not
     * within {@code bound}, also when one slow evaluation of the condition only turned true after the bound
     * (the figure returned is then never larger than the bound).
     */
    public static Duration until(Duration bound, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        if (!holdsWithin(bound, condition)) {
            throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (took.compareTo(bound) > 0) {
            throw new AssertionError(
                    "only after " + took.toMillis() + " ms, not within " + bound.toMillis() + " ms: " + what);
        }
        return took;
    }

    /** The time the condition took to become true, failing after {@code timeout}. */
    public static Duration timed(Duration timeout, String what, BooleanSupplier condition) {
        return until(timeout, what, condition);
    }

    /** Whether the condition held within the timeout (no failure: for callers that report themselves). */
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

    /**
     * Checks that the condition holds on every poll (at least one) for the whole period, failing at the first
     * miss: the way to show that something does NOT happen, which no event can signal.
     */
    public static void holdsFor(Duration period, BooleanSupplier condition, String what) {
        long start = System.nanoTime();
        long end = start + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("stopped holding after "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: " + what);
            }
            pause();
        } while (System.nanoTime() - end < 0);
    }

    /** {@link #holdsFor(Duration, BooleanSupplier, String)} with the description first. */
    public static void holdsFor(Duration period, String what, BooleanSupplier condition) {
        holdsFor(period, condition, what);
    }

    /** {@link #holdsFor(Duration, BooleanSupplier, String)} under the agent tests' name. */
    public static void holdsThroughout(Duration period, BooleanSupplier condition, String what) {
        holdsFor(period, condition, what);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
