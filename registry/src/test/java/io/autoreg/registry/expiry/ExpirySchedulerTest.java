package io.autoreg.registry.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.support.SettableClock;
import io.autoreg.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ExpirySchedulerTest {

    /** A lease whose expiry is recorded with the time it happened. */
    private static final class Recorded extends Lease {
        final String name;
        final List<String> log;
        volatile long expiredAt;

        Recorded(String name, long deadline, List<String> log) {
            super(0, true, deadline);
            this.name = name;
            this.log = log;
        }

        @Override
        protected void expired(long deadline) {
            expiredAt = System.currentTimeMillis();
            log.add(name);
        }
    }

    @Test
    void leasesExpireInDeadlineOrderAtTheirDeadlines() {
        List<String> log = new CopyOnWriteArrayList<>();
        try (ExpiryScheduler scheduler = new ExpiryScheduler(System::currentTimeMillis)) {
            long now = System.currentTimeMillis();
            Recorded late = new Recorded("late", now + 600, log);
            Recorded early = new Recorded("early", now + 200, log);
            Recorded middle = new Recorded("middle", now + 400, log);
            for (Recorded r : List.of(late, early, middle)) {
                scheduler.schedule(r, r.deadline());
            }
            Await.until(Duration.ofSeconds(3), () -> log.size() == 3);
            assertEquals(List.of("early", "middle", "late"), log);
            for (Recorded r : List.of(late, early, middle)) {
                assertTrue(r.expiredAt >= r.deadline(), r.name + " expired before its deadline");
                assertTrue(r.expiredAt - r.deadline() < 1000, r.name + " expired more than 1 s late");
            }
        }
    }

    @Test
    void aHeartbeatMovesTheDeadlineWithoutTouchingTheQueue() {
        List<String> log = new CopyOnWriteArrayList<>();
        try (ExpiryScheduler scheduler = new ExpiryScheduler(System::currentTimeMillis)) {
            long now = System.currentTimeMillis();
            Recorded beating = new Recorded("beating", now + 200, log);
            scheduler.schedule(beating, beating.deadline());
            assertEquals(1, beating.beat(0, System.currentTimeMillis(), 700, new boolean[1]));
            long extended = beating.deadline();
            Await.until(Duration.ofSeconds(3), () -> log.size() == 1);
            assertTrue(beating.expiredAt >= extended, "expired at the old deadline");
            assertEquals(Lease.EXPIRED, beating.beat(1, System.currentTimeMillis(), 700, new boolean[1]));
        }
    }

    @Test
    void aWakeAfterTheClockJumpedExpiresEveryPassedDeadlineAtOnceAndNoOther() {
        List<String> log = new CopyOnWriteArrayList<>();
        SettableClock clock = new SettableClock(1_000_000);
        try (ExpiryScheduler scheduler = new ExpiryScheduler(clock)) {
            Recorded passed = new Recorded("passed", 1_000_000 + 3_600_000, log);
            Recorded exact = new Recorded("exact", 1_000_000 + 7_200_000, log);
            Recorded later = new Recorded("later", 1_000_000 + 7_200_001, log);
            for (Recorded r : List.of(later, exact, passed)) {
                scheduler.schedule(r, r.deadline());
            }
            clock.advance(Duration.ofHours(2)); // without the wake, the thread would sleep an hour of real time
            scheduler.wake();
            Await.until(Duration.ofSeconds(1), () -> log.size() == 2);
            assertEquals(List.of("passed", "exact"), log);
            assertFalse(later.dead());
            // Only the later lease stays armed (the wake's own no-op timer may still be in flight just now).
            Await.until(Duration.ofSeconds(1), () -> scheduler.pending() == 1);
            assertFalse(later.dead());
        }
    }

    @Test
    void aUsedTokenGenerationIsRefused() {
        Recorded lease = new Recorded("l", System.currentTimeMillis() + 10_000, new CopyOnWriteArrayList<>());
        assertEquals(1, lease.beat(0, System.currentTimeMillis(), 10_000, new boolean[1]));
        assertEquals(Lease.BAD_TOKEN, lease.beat(0, System.currentTimeMillis(), 10_000, new boolean[1]));
        assertEquals(2, lease.beat(1, System.currentTimeMillis(), 10_000, new boolean[1]));
    }
}
