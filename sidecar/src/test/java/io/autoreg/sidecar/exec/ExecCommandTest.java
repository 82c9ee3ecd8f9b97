package io.autoreg.sidecar.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.sidecar.cli.UsageException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code exec}'s command line as picocli parses it, through the sidecar's real command tree. */
class ExecCommandTest {

    private static ExecCommand parse(String... args) {
        StringWriter sink = new StringWriter();
        CommandLine cli =
                io.autoreg.sidecar.SidecarMainAccess.commandLine(new PrintWriter(sink), new PrintWriter(sink));
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        return (ExecCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void acceptsTheOriginalWrappersFlagSpellings() {
        ExecCommand exec = parse(
                "exec",
                "--id=web-1",
                "-t",
                "a,b",
                "-t=c",
                "-m=k=v,k2=v2",
                "--interval",
                "10",
                "--abort-on-failure",
                "--",
                "python",
                "-m",
                "http.server");
        assertEquals("web-1", exec.id);
        assertEquals(List.of("a,b", "c"), exec.tags);
        assertEquals(List.of("k=v,k2=v2"), exec.metadata);
        assertEquals("10", exec.interval);
        assertTrue(exec.abortOnFailure);
        assertEquals(List.of("python", "-m", "http.server"), exec.command);
    }

    @Test
    void theFirstPositionalStartsTheWrappedCommandSoItsFlagsAreNotOurs() {
        ExecCommand exec = parse("exec", "--id", "x", "node", "--id", "server.js");
        assertEquals("x", exec.id);
        assertEquals(List.of("node", "--id", "server.js"), exec.command);
    }

    @Test
    void aLaterFlagWinsAsWithTheOriginalParser() {
        assertEquals("second", parse("exec", "--id", "first", "--id", "second", "true").id);
    }

    @Test
    void theIntervalTakesBareSecondsOrAUnitAndTheHeartbeatTimeoutOnlyAUnit() {
        assertEquals("10s", ExecCommand.seconds("10", "--interval", true));
        assertEquals("60s", ExecCommand.seconds("1m", "--interval", true));
        assertEquals("15s", ExecCommand.seconds("15000ms", "--heartbeat-timeout", false));
        assertEquals("120s", ExecCommand.seconds("2m", "--heartbeat-timeout", false));
        for (String bad : List.of("2", "121", "1500ms", "often", "-5", "3m")) {
            assertThrows(UsageException.class, () -> ExecCommand.seconds(bad, "--interval", true), bad);
        }
        UsageException unitless =
                assertThrows(UsageException.class, () -> ExecCommand.seconds("30", "--heartbeat-timeout", false));
        assertEquals(
                "--heartbeat-timeout must be whole seconds within 3..120 (30s, 2m), got '30'", unitless.getMessage());
    }
}
