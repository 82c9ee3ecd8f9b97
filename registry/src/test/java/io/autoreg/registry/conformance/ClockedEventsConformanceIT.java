package io.autoreg.registry.conformance;

import static io.autoreg.registry.conformance.Faults.assertStatus;
import static io.autoreg.registry.conformance.RegistryHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md §4 The events feed's time rules on the server's clock: without a marker the feed starts one hour ago
 * (inclusive), and events are kept 30 days, after which they are gone from the feed at once (even for
 * a marker that names them) and from the data directory after the next compaction or restart.
 */
class ClockedEventsConformanceIT extends ClockedConformanceBase {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration RETENTION = Duration.ofDays(30);

    @Test
    void withoutAMarkerTheFeedStartsExactlyOneHourAgo() {
        RegistryHttp http = freshTenant();
        long created = clock.millis();
        assertStatus(204, http.put("/configuration/window_key", json("value", "v1")));
        String joined = onlyEventId(http.get("/events"));

        clock.advanceTo(created + HOUR.toMillis());
        assertEquals(List.of(joined), eventIds(http.get("/events")), "an event exactly one hour old is in the window");

        clock.advanceTo(created + HOUR.toMillis() + 1);
        assertEquals(List.of(), eventIds(http.get("/events")), "one hour and 1 ms old is outside the default window");
        assertEquals(List.of(joined), eventIds(http.get("/events?marker=" + joined)), "a marker reaches back further");
    }

    @Test
    void anEventIsServedForThirtyDaysAndThenGoneFromTheFeedAndAfterCompactionFromDisk() {
        RegistryHttp http = freshTenant();
        long created = clock.millis();
        assertStatus(204, http.put("/configuration/retained_key", json("value", "v1")));
        String old = onlyEventId(http.get("/events"));
        assertTrue(onDisk(old), "the event is journaled");

        clock.advanceTo(created + RETENTION.toMillis());
        assertEquals(List.of(old), eventIds(http.get("/events?marker=" + old)), "kept for exactly 30 days");

        clock.advanceTo(created + RETENTION.toMillis() + 1);
        assertEquals(
                List.of(),
                eventIds(http.get("/events?marker=" + old)),
                "past the retention even its marker finds nothing");
        assertStatus(204, http.put("/configuration/retained_key", json("value", "v2")));
        String fresh = onlyEventId(http.get("/events?marker=" + old));

        server.compact();
        Await.until(Duration.ofSeconds(10), () -> !onDisk(old), "the expired event leaves the data directory");
        assertTrue(onDisk(fresh), "the recent event stays on disk");
        assertEquals(List.of(fresh), eventIds(http.get("/events?marker=" + old)));
    }

    @Test
    void anEventPastTheRetentionAtRestartIsNotReplayedNorKept() {
        RegistryHttp before = freshTenant();
        long created = clock.millis();
        assertStatus(204, before.put("/configuration/restart_key", json("value", "v1")));
        String old = onlyEventId(before.get("/events"));
        clock.advanceTo(created + RETENTION.toMillis() - HOUR.toMillis());
        assertStatus(204, before.delete("/configuration/restart_key"));
        String recent = eventIds(before.get("/events?marker=" + old)).get(1);
        assertTrue(onDisk(old) && onDisk(recent));

        clock.advanceTo(created + RETENTION.toMillis() + 1);
        server.restart();
        RegistryHttp after = server.http().tenant(before.tenantName());
        assertEquals(List.of(recent), eventIds(after.get("/events?marker=" + old)));
        assertFalse(onDisk(old), "the start-up snapshot leaves the expired event out and older files are dropped");
        assertTrue(onDisk(recent));
    }

    private static String onlyEventId(Answer page) {
        List<String> ids = eventIds(page);
        assertEquals(1, ids.size(), page::toString);
        return ids.get(0);
    }

    private static List<String> eventIds(Answer page) {
        assertEquals(200, page.status(), page::toString);
        List<String> ids = new ArrayList<>();
        for (JsonNode event : page.json().path("values")) {
            ids.add(event.path("id").asText());
        }
        return ids;
    }

    /** Whether any file of the store holds the event id (records are JSON text inside their frames). */
    private boolean onDisk(String eventId) {
        byte[] needle = eventId.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(server.journalDir())) {
            for (Path file : files.toList()) {
                if (contains(readQuietly(file), needle)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file the store deletes while it is listed reads as empty. */
    private static byte[] readQuietly(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
