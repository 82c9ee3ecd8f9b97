package io.autoreg.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void oneEditOrOneSwapAwayIsClose() {
        assertEquals(1, Suggestions.distance("--frmat", "--format"));
        assertEquals(1, Suggestions.distance("lsit", "list"));
        assertEquals(0, Suggestions.distance("get", "get"));
        assertEquals(
                List.of("--format"), Suggestions.closest("--frmat", List.of("--format", "--limit", "--marker", "-o")));
        assertEquals(
                List.of("services"), Suggestions.closest("servces", List.of("run", "services", "sessions", "limits")));
        assertEquals(
                List.of("--abort-on-failure"),
                Suggestions.closest("--abort-on-fialure", List.of("--abort-on-failure", "--port")));
        assertEquals(List.of(), Suggestions.closest("xyz", List.of("run", "exec", "services")));
    }

    @Test
    void durationsNeedAUnit() {
        assertEquals(Duration.ofMillis(500), DurationText.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), DurationText.parse("10s"));
        assertEquals(Duration.ofMinutes(2), DurationText.parse(" 2m "));
        assertEquals(Duration.ofHours(1), DurationText.parse("1h"));
        assertEquals(Duration.ofDays(1), DurationText.parse("1d"));
        assertNull(DurationText.parse("10"));
        assertNull(DurationText.parse("ten seconds"));
        assertNull(DurationText.parse("99999999999s"));
    }
}
