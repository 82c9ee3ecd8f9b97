package io.autoreg.registry.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.http.ApiError;
import io.autoreg.registry.http.Metering;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> log = new ArrayList<>();
    private final RateLimiter limiter =
            new RateLimiter(new Quotas(1, 1, 1, 10, 100, Duration.ofMinutes(1)), now::get, log::add);

    @Test
    void warnsOnceAt80PercentAndOnceWhenRefusingPerWindow() {
        for (int i = 0; i < 7; i++) {
            limiter.acquire("t1", Metering.READ);
        }
        assertEquals(List.of(), log);
        limiter.acquire("t1", Metering.READ);
        assertEquals(1, log.size(), log::toString);
        assertTrue(
                log.get(0).contains("tenant t1 has used 80% of its reads budget (8 of 10 per 1.0 minutes)"),
                log::toString);
        assertTrue(log.get(0).contains("autoreg.server.rate-limit.reads"), log::toString);
        limiter.acquire("t1", Metering.READ);
        limiter.acquire("t1", Metering.READ);
        for (int i = 0; i < 50; i++) {
            ApiError refused = assertThrows(ApiError.class, () -> limiter.acquire("t1", Metering.READ));
            assertEquals(429, refused.status());
            assertEquals(60, refused.retryAfterSeconds());
        }
        assertEquals(2, log.size(), log::toString);
        assertTrue(
                log.get(1).contains("tenant t1 is over its reads budget of 10 per 1.0 minutes: refusing with 429"),
                log::toString);
        now.addAndGet(60_000);
        for (int i = 0; i < 9; i++) {
            limiter.acquire("t1", Metering.READ);
        }
        assertEquals(3, log.size(), "a new window warns again: " + log);
    }

    @Test
    void heartbeatsAreNeverCountedAndBudgetsAreSeparate() {
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire("t1", Metering.HEARTBEAT);
        }
        for (int i = 0; i < 10; i++) {
            limiter.acquire("t1", Metering.READ);
        }
        assertThrows(ApiError.class, () -> limiter.acquire("t1", Metering.READ));
        limiter.acquire("t1", Metering.WRITE);
        limiter.acquire("t1", Metering.HEARTBEAT);
        assertEquals(10, limiter.used("t1", Metering.READ));
        assertEquals(1, limiter.used("t1", Metering.WRITE));
        assertEquals(0, limiter.used("t1", Metering.HEARTBEAT));
    }

    @Test
    void trackedTenantsAreBoundedAndEndedWindowsMakeRoom() {
        for (int i = 0; i < RateLimiter.MAX_TENANTS * 3; i++) {
            limiter.acquire("tenant-" + i, Metering.WRITE);
            if (i % 1000 == 999) {
                now.addAndGet(30_000); // windows end as time goes on
            }
        }
        java.util.concurrent.atomic.AtomicLong series = new java.util.concurrent.atomic.AtomicLong();
        limiter.busiest((tenant, kind, ratio) -> series.incrementAndGet());
        assertTrue(series.get() <= 200, "series: " + series);
        assertTrue(limiter.trackedTenants() <= RateLimiter.MAX_TENANTS + 1, "tracked: " + limiter.trackedTenants());
    }

    @Test
    void windowsAreDescribedAsTheOriginalDid() {
        assertEquals("24.0 hours", RateLimiter.describe(Duration.ofHours(24).toMillis()));
        assertEquals("1.0 minutes", RateLimiter.describe(60_000));
        assertEquals("30.0 seconds", RateLimiter.describe(30_000));
    }
}
