package io.autoreg.registry.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition: tests never synchronise on bare sleeps. */
public final class Await {
  private Await() {}

  public static void until(Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
