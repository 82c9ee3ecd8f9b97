package io.autoreg.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleAppOptionsTest {

    @Test
    void defaultsToPort8080AndItsOwnName() {
        SampleAppOptions options = SampleAppOptions.parse(new String[0]);
        assertEquals(8080, options.port());
        assertEquals("sample-app", options.name());
    }

    @Test
    void acceptsBothFlagForms() {
        assertEquals(0, SampleAppOptions.parse(new String[] {"--port", "0"}).port());
        assertEquals(
                9000,
                SampleAppOptions.parse(new String[] {"--port=9000", "--name=orders"})
                        .port());
        assertEquals(
                "orders",
                SampleAppOptions.parse(new String[] {"--name", "orders"}).name());
    }

    @Test
    void rejectsAPortOutOfRangeNamingTheFlag() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> SampleAppOptions.parse(new String[] {"--port", "70000"}));
        assertTrue(error.getMessage().startsWith("--port must be an integer 0..65535"), error.getMessage());
    }

    @Test
    void rejectsUnknownArgumentsWithUsage() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> SampleAppOptions.parse(new String[] {"--verbose"}));
        assertTrue(error.getMessage().contains("usage: sample-app"), error.getMessage());
    }
}
