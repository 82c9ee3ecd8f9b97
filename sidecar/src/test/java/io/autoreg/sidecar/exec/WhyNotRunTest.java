package io.autoreg.sidecar.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why a command cannot be run, from the JDK's own failures to start real programs. */
class WhyNotRunTest {

    @TempDir
    Path dir;

    private static String why(String... command) {
        IOException e = assertThrows(
                IOException.class,
                () -> new ProcessBuilder(List.of(command)).start().destroy());
        return ExecCommand.whyNotRun(e, command[0]);
    }

    @Test
    void saysWhatAShellWould() throws IOException {
        assertTrue(
                why("autoreg-no-such-command").startsWith("not found on the PATH ("), why("autoreg-no-such-command"));
        assertEquals("no such file or directory", why("/no/such/binary"));
        Path notExecutable = Files.writeString(dir.resolve("script.sh"), "echo hi\n");
        assertEquals("permission denied (not executable, or a directory?)", why(notExecutable.toString()));
        assertEquals("permission denied (not executable, or a directory?)", why(dir.toString()));
    }
}
