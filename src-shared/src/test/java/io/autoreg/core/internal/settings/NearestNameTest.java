package io.autoreg.core.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearestNameTest {

    private static final List<String> OPTIONS = List.of("--port", "--bind", "--data", "--config", "--log-format");

    @Test
    void aTypoFindsTheNameMeant() {
        assertEquals("--port", NearestName.among("--prot", OPTIONS, 2), "two letters swapped: two edits");
        assertEquals("--data", NearestName.among("--dta", OPTIONS, 2));
        assertEquals("--config", NearestName.among("--confg", OPTIONS, 2));
        assertEquals("heartbeat.timeout", NearestName.among("heartbeet.timeout", List.of("heartbeat.timeout"), 3));
    }

    @Test
    void aNameFarFromEveryKnownOneHasNoSuggestion() {
        assertNull(NearestName.among("--bogus", OPTIONS, 2));
        assertNull(NearestName.among("--verbose", OPTIONS, 2));
        assertNull(NearestName.among("--prot", List.of(), 2));
    }

    @Test
    void theDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, NearestName.distance("port", "port"));
        assertEquals(1, NearestName.distance("port", "ports"));
        assertEquals(1, NearestName.distance("port", "prt"));
        assertEquals(1, NearestName.distance("port", "part"));
        assertEquals(4, NearestName.distance("", "port"));
    }
}
