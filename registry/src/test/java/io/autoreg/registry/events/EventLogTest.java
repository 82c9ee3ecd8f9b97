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
        return new EventLog(
                record -> {
                    journaled.add(record);
                    return CompletableFuture.completedFuture(null);
                },
                now::get,
                retention,
                cap);
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
        log.prune();
        List<String> left = new ArrayList<>();
        log.events("t").values().forEach(e -> left.add(e.payloadJson()));
        assertEquals(List.of("{\"n\":2}", "{\"n\":3}", "{\"n\":4}"), left);
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
}
