package io.autoreg.sidecar;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command lines that never reach a registry: help, usage errors (2) and bad settings (2). */
class SidecarMainTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SidecarMain.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasItsOwn() {
        Result help = run("--help");
        assertEquals(0, help.code());
        for (String command : List.of("run", "exec", "services", "sessions", "events", "configuration", "limits")) {
            assertTrue(help.out().contains("  " + command + " "), command + " in\n" + help.out());
            Result own = run(command, "--help");
            assertEquals(0, own.code(), command);
            assertTrue(own.out().startsWith("usage: autoreg-sidecar " + command), own.out());
        }
        assertEquals(2, run().code(), "no command is a usage error");
    }

    @Test
    void runWithNothingToWatchIsAUsageError() {
        Result result = run("run", "--registry-url", "http://127.0.0.1:1/v1.0/x");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("nothing to watch"), result.err());
    }

    @Test
    void aBadSettingExits2WithTheKeyAndWhereItCameFrom() {
        Result result = run("run", "--port", "8081", "--check", "grpc");
        assertEquals(2, result.code());
        assertTrue(result.err().startsWith("error: bad setting: autoreg.sidecar.check.type = \"grpc\""), result.err());
        Result duration = run("run", "--port", "8081", "--interval", "often");
        assertEquals(2, duration.code());
        assertTrue(duration.err().contains("autoreg.sidecar.check.interval"), duration.err());
    }

    @Test
    void aBadSettingNamesTheFlagItCameFrom() {
        Result port = run("run", "--port", "http");
        assertEquals(2, port.code());
        assertTrue(port.err().startsWith("error: bad setting: autoreg.sidecar.check.port = \"http\" (command-line flag --port): "),
                port.err());
        Result set = run("run", "--port", "8081", "--set", "autoreg.sidecar.drain=forever");
        assertEquals(2, set.code());
        assertTrue(set.err().startsWith("error: bad setting: autoreg.sidecar.drain = \"forever\" (command-line flag autoreg.sidecar.drain): "),
                set.err());
        Result exec = run("exec", "--id=job-1", "--log-level", "loud", "--", "true");
        assertEquals(2, exec.code());
        assertTrue(exec.err().startsWith("error: bad setting: autoreg.log.level = \"loud\" (command-line flag --log-level): "),
                exec.err());
        assertFalse(port.err().contains("agent argument") || set.err().contains("agent argument")
                || exec.err().contains("agent argument"), "the sidecar has no agent arguments");
    }

    @Test
    void execRejectsAnIntervalOutsideTheRegistrysRange() {
        Result result = run("exec", "--id=x", "-i", "500", "--", "true");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("--interval must be a whole number 3..120"), result.err());
    }
}
