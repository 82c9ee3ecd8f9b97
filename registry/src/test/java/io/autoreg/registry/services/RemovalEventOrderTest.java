package io.autoreg.registry.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.auth.HeartbeatTokens;
import io.autoreg.registry.events.EventLog;
import io.autoreg.registry.expiry.ExpiryScheduler;
import io.autoreg.registry.limits.Quotas;
import io.autoreg.registry.log.ActivityLog;
import io.autoreg.registry.metrics.Metrics;
import io.autoreg.registry.store.Journal;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reader must never find a removed service gone from the table without its removal event in the feed
 * (docs/api.md §4): the table appends the event first and unlinks after. The journal here looks at the
 * table at the moment each record arrives; with the old order (unlink, then event) the service was
 * already gone when its timeout or remove event was appended, and the delete record came first.
 */
class RemovalEventOrderTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    /** For every record: its op, and whether service "a" of tenant "t" was still listed when it came. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private final ExpiryScheduler expiry = new ExpiryScheduler(now::get);
    private final ActivityLog activity =
            new ActivityLog(ActivityLog.Format.TEXT, new PrintStream(OutputStream.nullOutputStream()), now::get);
    private ServiceTable table;

    private ServiceTable table() {
        Journal journal = record -> {
            String text = new String(record, StandardCharsets.UTF_8);
            String op = text.contains("\"service.timeout\"")
                    ? "timeout-event"
                    : text.contains("\"service.remove\"")
                            ? "remove-event"
                            : text.contains("\"op\":\"service.delete\"")
                                    ? "delete"
                                    : text.contains("\"op\":\"service.put\"") ? "put" : "other";
            seen.add(op + (table.services("t").containsKey("a") ? " listed" : " gone"));
            return CompletableFuture.completedFuture(null);
        };
        EventLog events = new EventLog(journal, now::get, Duration.ofDays(1), 1000, 1000);
        table = new ServiceTable(
                journal,
                events,
                expiry,
                new HeartbeatTokens(new byte[32]),
                now::get,
                new Metrics(),
                () -> new Quotas(100, 100, 100, 1_000_000, 1_000_000, Duration.ofHours(1)),
                activity);
        return table;
    }

    @AfterEach
    void stop() {
        expiry.close();
        activity.close();
    }

    @Test
    void aTimedOutServiceIsStillListedWhenItsTimeoutEventIsAppended() {
        ServiceTable table = table();
        table.create("t", new ServiceSpec("a", 1, null, List.of(), Map.of()));
        Service service = table.services("t").get("a");
        now.addAndGet(5_000);
        // Called here, not left to the expiry thread, so the test does not wait on a timer (exactly once either way).
        service.checkExpiry(now.get());
        assertEquals(List.of("put listed", "other listed", "timeout-event listed", "delete gone"), seen);
        assertTrue(table.services("t").isEmpty());
    }

    @Test
    void aDeletedServiceIsStillListedWhenItsRemoveEventIsAppended() {
        ServiceTable table = table();
        table.create("t", new ServiceSpec("a", 30, null, List.of(), Map.of()));
        table.delete("t", "a").join();
        assertEquals(List.of("put listed", "other listed", "remove-event listed", "delete gone"), seen);
        assertTrue(table.services("t").isEmpty());
    }
}
