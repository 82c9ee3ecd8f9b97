package io.autoreg.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line of {@code java -jar autoreg-agent.jar}, up to the point where it would attach. */
class AttachMainTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = AttachMain.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void helpPrintsWhatAttachDoesOnStdoutAndExits0() {
        for (String flag : new String[] {"--help", "-h", "help"}) {
            Result help = run(flag);
            assertEquals(0, help.code(), flag);
            assertTrue(help.out().startsWith(AttachMain.USAGE + "\n\nLoads the autoreg agent"), help.out());
            assertTrue(help.out().contains("registry.url="), help.out());
            assertEquals("", help.err());
        }
    }

    @Test
    void aPidThatIsNoProcessIdIsAUsageErrorBeforeAnyAttach() {
        Result word = run("attach", "abc", "registry.url=http://127.0.0.1:1/v1.0/x");
        assertEquals(2, word.code());
        assertEquals(
                "autoreg: the pid must be a process id, a whole number above 0; was 'abc'\n" + AttachMain.USAGE + "\n",
                word.err());
        assertEquals(2, run("attach", "-5").code());
        assertEquals(2, run("attach").code());
        assertEquals(2, run().code());
        assertEquals(2, run("atach", "123").code());
    }

    @Test
    void processIdsAreWholeNumbersAboveZero() {
        assertTrue(AttachMain.isProcessId("1"));
        assertTrue(AttachMain.isProcessId("4194304"));
        assertFalse(AttachMain.isProcessId("0"));
        assertFalse(AttachMain.isProcessId("-1"));
        assertFalse(AttachMain.isProcessId("12a"));
        assertFalse(AttachMain.isProcessId(""));
    }
}
