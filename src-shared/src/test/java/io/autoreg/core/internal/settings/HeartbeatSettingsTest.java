package io.autoreg.core.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeartbeatSettingsTest {

    @ParameterizedTest(name = "timeout {0} ms -> interval {1} ms")
    @CsvSource({
        "3000, 1000", // 0.6T = 1.8 s, but 3 s margin is impossible: T/3
        "4000, 1333",
        "5000, 2000", // 0.6T = 3 s lowered to keep 3 s of margin
        "10000, 6000", // 0.6T
        "15000, 12000", // 0.8T from 15 s
        "30000, 24000",
        "120000, 96000"
    })
    void theIntervalIsDerivedFromTheTimeoutPerSection8(long timeoutMillis, long intervalMillis) {
        assertEquals(
                Duration.ofMillis(intervalMillis),
                new HeartbeatSettings(Duration.ofMillis(timeoutMillis), null).effectiveInterval());
    }

    @Test
    void anExplicitIntervalWins() {
        assertEquals(
                Duration.ofSeconds(7),
                new HeartbeatSettings(Duration.ofSeconds(30), Duration.ofSeconds(7)).effectiveInterval());
    }

    @Test
    void theTwoArgumentFormUsesTheDefaultBackoff() {
        HeartbeatSettings s = new HeartbeatSettings(Duration.ofSeconds(30), null);
        assertEquals(Duration.ofMillis(250), s.initialBackoff());
        assertEquals(Duration.ofSeconds(10), s.maxBackoff());
    }
}
