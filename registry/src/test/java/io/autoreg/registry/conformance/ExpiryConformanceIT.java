package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md §3 Expiry: exact deadlines, removal within 1 s, exactly one service.timeout stamped with the deadline.
 */
class ExpiryConformanceIT extends ConformanceBase {
    /** Clock granularity between this JVM and the server's stamps. */
    private static final long SLACK_MILLIS = 25;

    @Test
    void aServiceThatNeverHeartbeatsIsRemovedWithinOneSecondOfItsDeadlineWithOneTimeoutEvent() {
        RegistryHttp http = freshTenant();
        long before = System.currentTimeMillis();
        createService(http, "svc-expire", 3);
        long after = System.currentTimeMillis();
        long goneAt = awaitGone(http, "svc-expire", after + 3_000);
        assertTrue(goneAt >= before + 3_000 - SLACK_MILLIS, "removed before its deadline: " + (goneAt - before));
        assertTrue(goneAt <= after + 3_000 + 1_000, "removed " + (goneAt - after - 3_000) + " ms after the deadline");

        List<JsonNode> timeouts = awaitTimeoutEvents(http, "svc-expire", untilOneSecondAfter(after + 3_000));
        assertEquals(1, timeouts.size(), timeouts::toString);
        long stamp = timeouts.get(0).path("timestamp").asLong();
        assertTrue(
                stamp >= before + 3_000 - SLACK_MILLIS && stamp <= after + 3_000 + SLACK_MILLIS,
                "timeout stamped " + (stamp - before) + " ms after create, not with the deadline");
        assertEquals(
                3, timeouts.get(0).path("payload").path("heartbeat_timeout").asInt());
        assertEquals(List.of(), ids(http.get("/services")));
        assertEquals(0, eventsAbout(http, "service.remove", "svc-expire").size());
    }

    @Test
    void aHeartbeatMovesTheDeadlineToNowPlusTheTimeout() {
        RegistryHttp http = freshTenant();
        String token = createService(http, "svc-beating", 3);
        Await.until(Duration.ofSeconds(3), timeSince(System.currentTimeMillis(), 1_500), "1.5 s passed");
        long before = System.currentTimeMillis();
        assertStatus(200, http.post("/services/svc-beating/heartbeat", json("token", token)));
        long after = System.currentTimeMillis();
        long goneAt = awaitGone(http, "svc-beating", after + 3_000);
        assertTrue(goneAt >= before + 3_000 - SLACK_MILLIS, "removed before the new deadline");
        assertTrue(goneAt <= after + 4_000, "removed late");
        List<JsonNode> timeouts = awaitTimeoutEvents(http, "svc-beating", untilOneSecondAfter(after + 3_000));
        assertEquals(1, timeouts.size(), timeouts::toString);
        long stamp = timeouts.get(0).path("timestamp").asLong();
        assertTrue(stamp >= before + 3_000 - SLACK_MILLIS && stamp <= after + 3_000 + SLACK_MILLIS, "stamp " + stamp);
    }

    @Test
    void aNewTimeoutAppliesFromTheNextHeartbeatNotBefore() {
        RegistryHttp http = freshTenant();
        long before = System.currentTimeMillis();
        createService(http, "svc-retimed", 3);
        long after = System.currentTimeMillis();
        assertStatus(204, http.put("/services/svc-retimed", json("heartbeat_timeout", 60)));
        long goneAt = awaitGone(http, "svc-retimed", after + 3_000);
        assertTrue(goneAt >= before + 3_000 - SLACK_MILLIS && goneAt <= after + 4_000, "old deadline kept");
        assertEquals(
                1,
                awaitTimeoutEvents(http, "svc-retimed", untilOneSecondAfter(after + 3_000))
                        .size());

        String beaten = http.post("/services", json("id", "svc-retimed-2", "heartbeat_timeout", 3))
                .json()
                .path("token")
                .asText();
        assertStatus(204, http.put("/services/svc-retimed-2", json("heartbeat_timeout", 60)));
        assertStatus(200, http.post("/services/svc-retimed-2/heartbeat", json("token", beaten)));
        long beatAt = System.currentTimeMillis();
        Await.holdsFor(
                Duration.ofMillis(4_500),
                () -> http.get("/services/svc-retimed-2").status() == 200,
                "svc-retimed-2 lives by its new 60 s timeout after " + (System.currentTimeMillis() - beatAt) + " ms");
    }

    @Test
    void manyServicesExpireTogetherEachWithExactlyOneTimeoutEvent() {
        RegistryHttp http = freshTenant();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = String.format("svc-many-%02d", i);
            createService(http, id, 3);
            ids.add(id);
        }
        long lastCreated = System.currentTimeMillis();
        Await.until(
                Duration.ofSeconds(6),
                () -> ids(http.get("/services?limit=1000")).isEmpty(),
                "all 50 expired");
        assertTrue(System.currentTimeMillis() <= lastCreated + 4_000 + 500, "late expiry of a batch");
        Await.until(
                untilOneSecondAfter(lastCreated + 3_000),
                () -> events(http, "service.timeout").size() >= 50,
                "50 timeout events within 1 s of the deadlines");
        List<JsonNode> timeouts = events(http, "service.timeout");
        assertEquals(50, timeouts.size(), "timeout events: " + timeouts.size());
        for (String id : ids) {
            assertEquals(1, eventsAbout(http, "service.timeout", id).size(), id);
        }
    }

    @Test
    void aHeartbeatRacingTheDeadlineEitherKeepsTheServiceOrFindsItGoneNeverBoth() {
        RegistryHttp http = freshTenant();
        int count = 40;
        String[] tokens = new String[count];
        long[] created = new long[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = createService(http, "svc-edge-" + i, 3);
            created[i] = System.currentTimeMillis();
        }
        // Beat each service at a different offset from its deadline, from 100 ms before to about 100 ms after.
        int[] status = new int[count];
        String[] details = new String[count];
        for (int i = 0; i < count; i++) {
            long at = created[i] + 3_000 - 100 + i * 5L;
            Await.until(Duration.ofSeconds(5), () -> System.currentTimeMillis() >= at, "beat time");
            Answer beat = http.post("/services/svc-edge-" + i + "/heartbeat", json("token", tokens[i]));
            status[i] = beat.status();
            details[i] = beat.body();
        }
        // Kept services first: their new deadline is only 3 s after their beat.
        int kept = 0;
        for (int i = 0; i < count; i++) {
            String id = "svc-edge-" + i;
            if (status[i] == 200) {
                kept++;
                assertStatus(200, http.get("/services/" + id));
                assertEquals(0, eventsAbout(http, "service.timeout", id).size(), id + " beat in time, yet timed out");
            }
        }
        for (int i = 0; i < count; i++) {
            String id = "svc-edge-" + i;
            if (status[i] != 200) {
                assertEquals(404, status[i], details[i]);
                assertTrue(details[i].contains("Service"), details[i]);
                assertEquals(
                        1,
                        awaitTimeoutEvents(http, id, Duration.ofMillis(1_500)).size(),
                        id);
                assertStatus(404, http.get("/services/" + id));
            }
        }
        System.out.println("[expiry] heartbeats racing the deadline: " + kept + " kept their service, " + (count - kept)
                + " found it gone");
    }

    @Test
    void anExpiredServiceIsNeverReturnedByTheList() {
        RegistryHttp http = freshTenant();
        createService(http, "svc-listed", 3);
        long after = System.currentTimeMillis();
        AtomicLong violations = new AtomicLong();
        Await.until(
                Duration.ofSeconds(6),
                () -> {
                    long sentAt = System.currentTimeMillis();
                    boolean listed = ids(http.get("/services")).contains("svc-listed");
                    if (listed && sentAt > after + 3_000 + SLACK_MILLIS) {
                        violations.incrementAndGet();
                    }
                    return !listed;
                },
                "svc-listed expired");
        assertEquals(0, violations.get(), "listed after its deadline");
    }

    /** Polls GET until 404; also asserts that no read sent after {@code deadline} still shows the service. */
    private static long awaitGone(RegistryHttp http, String id, long deadline) {
        long[] goneAt = {0};
        Await.until(
                Duration.ofSeconds(10),
                () -> {
                    long sentAt = System.currentTimeMillis();
                    int status = http.get("/services/" + id).status();
                    if (status == 200 && sentAt > deadline + SLACK_MILLIS) {
                        throw new AssertionError(id + " read back " + (sentAt - deadline) + " ms after its deadline");
                    }
                    goneAt[0] = System.currentTimeMillis();
                    return status == 404;
                },
                id + " expired");
        return goneAt[0];
    }

    /** The time left until 1 s after {@code deadline}, plus the polling granularity. */
    private static Duration untilOneSecondAfter(long deadline) {
        return Duration.ofMillis(Math.max(0, deadline + 1_000 - System.currentTimeMillis()) + 100);
    }

    private static java.util.function.BooleanSupplier timeSince(long start, long millis) {
        return () -> System.currentTimeMillis() - start >= millis;
    }
}
