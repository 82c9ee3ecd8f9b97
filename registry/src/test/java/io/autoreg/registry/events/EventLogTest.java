package io.autoreg.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final List<byte[]> journaled = new ArrayList<>();

    private EventLog log(Duration retention, int cap) {
        return log(retention, cap, 1_000_000);
    }

    private EventLog log(Duration retention, int cap, int totalCap) {
        return new EventLog(
                record -> {
                    journaled.add(record);
                    return CompletableFuture.completedFuture(null);
                },
                now::get,
                retention,
                cap,
                totalCap);
    }

    @Test
    void idsSortInTheOrderEventsWereAppendedEvenWithinOneMillisecond() {
        EventLog log = log(Duration.ofDays(30), 1000);
        for (int i = 0; i < 50; i++) {
            log.append("t", EventLog.SERVICE_JOIN, now.get(), "{\"n\":" + i + "}");
        }
        List<String> payloads = new ArrayList<>();
        log.events("t").values().forEach(e -> payloads.add(e.payloadJson()));
        for (int i = 0; i < 50; i++) {
            assertEquals("{\"n\":" + i + "}", payloads.get(i));
        }
        assertEquals(50, journaled.size());
        assertTrue(log.events("t").keySet().stream().allMatch(EventIds::wellFormed));
    }

    @Test
    void pruningDropsEventsPastTheRetentionAndBeyondTheCap() {
        EventLog log = log(Duration.ofDays(30), 3);
        log.append("t", EventLog.SERVICE_JOIN, now.get(), "{\"old\":true}");
        now.addAndGet(Duration.ofDays(31).toMillis());
        for (int i = 0; i < 5; i++) {
            log.append("t", EventLog.SERVICE_JOIN, now.get(), "{\"n\":" + i + "}");
        }
        assertEquals(new EventLog.Pruned(1, 2, 0, 3), log.prune());
        List<String> left = new ArrayList<>();
        log.events("t").values().forEach(e -> left.add(e.payloadJson()));
        assertEquals(List.of("{\"n\":2}", "{\"n\":3}", "{\"n\":4}"), left);
    }

    /** Many churning tenants each under its own cap: together they stay under the total, the oldest going first. */
    @Test
    void pruningKeepsAllTenantsTogetherUnderTheTotalCapDroppingTheOldestOfAnyTenant() {
        EventLog log = log(Duration.ofDays(30), 4, 6);
        for (int i = 0; i < 3; i++) {
            log.append("quiet", EventLog.SERVICE_JOIN, now.get(), "{\"quiet\":" + i + "}");
            now.addAndGet(1000);
        }
        for (int i = 0; i < 6; i++) {
            log.append("busy", EventLog.SERVICE_JOIN, now.get(), "{\"busy\":" + i + "}");
            log.append("other", EventLog.SERVICE_JOIN, now.get(), "{\"other\":" + i + "}");
            now.addAndGet(1000);
        }
        assertEquals(new EventLog.Pruned(0, 4, 5, 6), log.prune());
        List<String> left = new ArrayList<>();
        for (String tenant : List.of("quiet", "busy", "other")) {
            log.events(tenant).values().forEach(e -> left.add(e.payloadJson()));
        }
        // each busy tenant first cut to its cap of 4 (its 2 oldest gone), then 3 quiet + 4 + 4 = 11 over a total of
        // 6: the 3 quiet ones (oldest of all) go, then the oldest of busy and other, alternately
        assertEquals(
                List.of(
                                "{\"busy\":4}",
                                "{\"busy\":5}",
                                "{\"other\":3}",
                                "{\"other\":4}",
                                "{\"other\":5}",
                                "{\"busy\":3}")
                        .stream()
                        .sorted()
                        .toList(),
                left.stream().sorted().toList());
        assertEquals(6, left.size());
    }

    @Test
    void theListenerIsToldTheTenantOfEveryEventOnceItIsReadable() {
        EventLog log = log(Duration.ofDays(30), 1000);
        List<String> told = new ArrayList<>();
        log.onAppend(tenant -> {
            assertEquals(1, log.events(tenant).size(), "the event is in the feed before anyone is told");
            told.add(tenant);
        });
        log.append("b", EventLog.SERVICE_JOIN, now.get(), "{}");
        log.append("a", EventLog.SERVICE_JOIN, now.get(), "{}");
        assertEquals(List.of("b", "a"), told);
    }

    @Test
    void markersAreUuidTextOfEitherCaseAndNothingElse() {
        assertTrue(EventIds.wellFormed("0188f3a2-7b1c-7000-8abc-0123456789ab"));
        assertTrue(EventIds.wellFormed("0188F3A2-7B1C-7000-8ABC-0123456789AB"));
        assertTrue(EventIds.wellFormed(EventIds.floor(0)));
        for (String bad : new String[] {
            null,
            "",
            "0188f3a2-7b1c-7000-8abc-0123456789a",
            "0188f3a2-7b1c-7000-8abc-0123456789abc",
            "0188f3a2x7b1c-7000-8abc-0123456789ab",
            "0188f3a2-7b1c-7000-8abc-0123456789ag",
            "0188f3a2-7b1c-7000-8abc-01234567-9ab",
            "0188f3a2-7b1c-7000-8abc-0123456789a\u0661"
        }) {
            org.junit.jupiter.api.Assertions.assertFalse(EventIds.wellFormed(bad), String.valueOf(bad));
        }
    }
}
