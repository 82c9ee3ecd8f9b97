package io.autoreg.core.internal.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

    enum Mode {
        PER_JVM,
        PER_PORT
    }

    private static SettingsReader reader(String hocon) {
        return new SettingsReader(ConfigFactory.parseString(
                        hocon, com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("test"))
                .resolve());
    }

    @Test
    void enumValuesAreReadInKebabCase() {
        assertEquals(Mode.PER_PORT, reader("a.mode = per-port").oneOf("a.mode", Mode.class));
        SettingsException e = assertThrows(
                SettingsException.class, () -> reader("a.mode = per_port").oneOf("a.mode", Mode.class));
        assertEquals("a.mode = \"per_port\" (test: 1): expected one of per-jvm | per-port", e.getMessage());
        assertEquals("a.mode", e.key());
    }

    @Test
    void integersAreRangeChecked() {
        assertEquals(5, reader("a.n = 5").intIn("a.n", 1, 10));
        assertEquals(
                "a.n = \"11\" (test: 1): expected a whole number between 1 and 10",
                assertThrows(
                                SettingsException.class,
                                () -> reader("a.n = \"11\"").intIn("a.n", 1, 10))
                        .getMessage());
        assertEquals(
                "a.n = \"x\" (test: 1): expected a whole number between 1 and 10",
                assertThrows(SettingsException.class, () -> reader("a.n = x").intIn("a.n", 1, 10))
                        .getMessage());
    }

    @Test
    void nullBlankAndAbsentAreNullForOptionalGetters() {
        SettingsReader r = reader("a.x = null, a.y = \"  \"");
        assertNull(r.stringOrNull("a.x"));
        assertNull(r.stringOrNull("a.y"));
        assertNull(r.stringOrNull("a.z"));
        assertNull(r.durationOrNull("a.x", Duration.ZERO, Duration.ofHours(1)));
        assertEquals(List.of(), r.stringList("a.x"));
        assertEquals(Map.of(), r.stringMap("a.z"));
        assertEquals(
                "a.x = null (test: 1): a value is required",
                assertThrows(SettingsException.class, () -> r.string("a.x")).getMessage());
        assertEquals(
                "a.z = null (not set): a value is required",
                assertThrows(SettingsException.class, () -> r.string("a.z")).getMessage());
    }

    @Test
    void listsComeFromHoconListsOrCommaStrings() {
        assertEquals(List.of("a", "b", "1"), reader("l = [a, b, 1]").stringList("l"));
        assertEquals(List.of("a", "b"), reader("l = \"a,,b,\"").stringList("l"));
        assertEquals(
                "l = \"{\"k\":\"v\"}\" (test: 1): expected a list of strings such as [a, b] or a comma separated string a,b",
                assertThrows(
                                SettingsException.class,
                                () -> reader("l { k = v }").stringList("l"))
                        .getMessage());
    }

    @Test
    void mapsComeFromObjectsOrPairStrings() {
        assertEquals(
                Map.of("a.b", "1", "c", "x,y"),
                reader("m { a { b = 1 }, c = [x, y] }").stringMap("m"));
        assertEquals(Map.of("k", "v", "k2", ""), reader("m = \"k=v, k2=\"").stringMap("m"));
        assertEquals(
                "m = \"[1]\" (test: 1): expected an object such as { k = v } or key=value pairs such as k=v,k2=v2",
                assertThrows(SettingsException.class, () -> reader("m = [1]").stringMap("m"))
                        .getMessage());
    }

    @Test
    void aStructuredValueIsNotAString() {
        assertEquals(
                "s = \"[1]\" (test: 1): expected a single value, not a list",
                assertThrows(SettingsException.class, () -> reader("s = [1]").string("s"))
                        .getMessage());
    }

    @Test
    void durationsAreFormattedExactly() {
        assertEquals("250ms", SettingsReader.format(Duration.ofMillis(250)));
        assertEquals("120s", SettingsReader.format(Duration.ofSeconds(120)));
        assertEquals("10m", SettingsReader.format(Duration.ofMinutes(10)));
        assertEquals("1h", SettingsReader.format(Duration.ofHours(1)));
    }
}
