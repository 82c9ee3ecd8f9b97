package io.autoreg.registry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantGaugeTest {
    @Test
    void theLargestTenantsGetASeriesAndTheRestAreSummedUnderStar() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < TenantGauge.MAX_TENANTS + 50; i++) {
            counts.put("t" + i, i + 1); // t0 = 1 … t1049 = 1050: the 50 smallest go to "*"
        }
        counts.put("empty", 0);
        Map<String, Long> series = new HashMap<>();
        TenantGauge.bounded(counts, series::put);
        assertEquals(TenantGauge.MAX_TENANTS + 1, series.size());
        assertEquals(50L * 51 / 2, series.get("*")); // 1 + 2 + … + 50
        assertEquals(1050L, series.get("t1049"));
        assertEquals(51L, series.get("t50"));
        assertEquals(null, series.get("t49"));
        assertEquals(null, series.get("empty"));
        assertEquals(
                TenantGauge.total(counts),
                series.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void fewTenantsAreAllShownWithoutStar() {
        Map<String, Long> series = new HashMap<>();
        TenantGauge.bounded(Map.of("a", 2, "b", 1), series::put);
        assertEquals(Map.of("a", 2L, "b", 1L), series);
    }
}
