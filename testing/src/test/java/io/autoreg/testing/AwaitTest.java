package io.autoreg.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void untilReturnsOnceTheConditionHoldsAndNamesWhatItWaitedForWhenItDoesNot() {
        AtomicInteger polls = new AtomicInteger();
        Await.until(Duration.ofSeconds(5), () -> polls.incrementAndGet() >= 3, "three polls");
        assertEquals(3, polls.get());

        AssertionError error =
                assertThrows(AssertionError.class, () -> Await.until(Duration.ofMillis(60), () -> false, "never"));
        assertTrue(error.getMessage().contains("never"), error.getMessage());
        assertFalse(Await.holdsWithin(Duration.ofMillis(60), () -> false));
    }

    @Test
    void theTimedFormRejectsAConditionThatOnlyTurnedTrueAfterTheBound() {
        Duration took = Await.until(Duration.ofSeconds(5), "at once", () -> true);
        assertTrue(took.compareTo(Duration.ofSeconds(5)) <= 0, took.toString());

        AssertionError late = assertThrows(
                AssertionError.class,
                () -> Await.until(Duration.ofMillis(50), "late", () -> {
                    sleepMillis(120);
                    return true;
                }));
        assertTrue(late.getMessage().startsWith("only after"), late.getMessage());
    }

    @Test
    void holdsForFailsAtTheFirstMissAndChecksAtLeastOnce() {
        AtomicInteger polls = new AtomicInteger();
        assertThrows(
                AssertionError.class,
                () -> Await.holdsFor(Duration.ofSeconds(5), () -> polls.incrementAndGet() < 3, "two polls"));
        assertEquals(3, polls.get());

        AtomicInteger once = new AtomicInteger();
        Await.holdsThroughout(Duration.ZERO, () -> once.incrementAndGet() > 0, "zero period");
        assertEquals(1, once.get());
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
