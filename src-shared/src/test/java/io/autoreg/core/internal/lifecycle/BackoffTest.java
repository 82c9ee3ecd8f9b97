package io.autoreg.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), new Random(42));

    @Test
    void theCeilingDoublesFrom250MillisecondsUpToTheCap() {
        long[] expected = {250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            assertEquals(expected[attempt - 1], backoff.ceilingMillis(attempt), "attempt " + attempt);
        }
        assertEquals(10_000, backoff.ceilingMillis(1_000_000), "no overflow after very many attempts");
    }

    @Test
    void delaysAreFullJitterBetweenZeroAndTheCeiling() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            long ceiling = backoff.ceilingMillis(attempt);
            Set<Long> seen = new HashSet<>();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 500; i++) {
                long d = backoff.delay(attempt).toMillis();
                assertTrue(d >= 0 && d <= ceiling, d + " outside [0," + ceiling + "]");
                seen.add(d);
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            assertTrue(seen.size() > 50, "spread, not a fixed delay: " + seen.size() + " distinct values");
            assertTrue(
                    min < ceiling / 10 && max > ceiling * 9 / 10, "covers the whole range [" + min + "," + max + "]");
        }
    }
}
