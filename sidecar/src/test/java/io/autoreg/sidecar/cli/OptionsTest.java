package io.autoreg.sidecar.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsTest {
    private final Options exec = new Options().stopAtFirstPositional()
            .value("id").value("tags", "t").value("metadata", "m").value("interval", "i").flag("abort-on-failure");

    @Test
    void acceptsTheOriginalWrappersFlagSpellings() {
        ParsedArgs args = exec.parse(List.of("--id=web-1", "-t", "a,b", "-m=k=v,k2=v2", "--interval", "10",
                "--abort-on-failure", "--", "python", "-m", "http.server"));
        assertEquals("web-1", args.value("id"));
        assertEquals("a,b", args.value("tags"));
        assertEquals("k=v,k2=v2", args.value("metadata"));
        assertEquals(10, args.intValue("interval", 3, 120));
        assertTrue(args.flag("abort-on-failure"));
        assertEquals(List.of("python", "-m", "http.server"), args.rest());
    }

    @Test
    void theFirstPositionalStartsTheWrappedCommandSoItsFlagsAreNotOurs() {
        ParsedArgs args = exec.parse(List.of("--id", "x", "node", "--id", "server.js"));
        assertEquals("x", args.value("id"));
        assertEquals(List.of("node", "--id", "server.js"), args.rest());
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        assertThrows(UsageException.class, () -> exec.parse(List.of("--nope")));
        assertThrows(UsageException.class, () -> exec.parse(List.of("-x")));
        assertThrows(UsageException.class, () -> exec.parse(List.of("--id")));
        assertThrows(UsageException.class, () -> exec.parse(List.of("--abort-on-failure=yes")));
        UsageException range = assertThrows(UsageException.class,
                () -> exec.parse(List.of("-i", "500")).intValue("interval", 3, 120));
        assertEquals("--interval must be a whole number 3..120, got '500'", range.getMessage());
    }

    @Test
    void helpIsAlwaysKnownAndPositionalsCanInterleave() {
        ParsedArgs args = new Options().value("format").parse(List.of("list", "--format", "csv", "extra", "-h"));
        assertTrue(args.help());
        assertEquals(List.of("list", "extra"), args.positionals());
    }

    @Test
    void tagAndMetadataListsUseTheOriginalSyntax() {
        assertEquals(List.of("a", "b", "c"), KeyValues.list(List.of("a, b", "c,")));
        assertEquals(Map.of("k", "v", "url", "http://x/?a=b"), KeyValues.map("metadata", List.of("k=v,url=http://x/?a=b")));
        assertThrows(UsageException.class, () -> KeyValues.map("metadata", List.of("novalue")));
    }
}
