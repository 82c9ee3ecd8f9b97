package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupSettleTest {

    /** A real line of /proc/[pid]/stat (JDK 25, sample app), utime 15 and stime 3 ticks. */
    private static final String STAT_LINE = "4242 (java) S 4241 4242 4100 34816 4242 4194304 7046 0 4 0 15 3 0 0 20 0"
            + " 23 0 1728307 4300537856 10874 18446744073709551615 94 95 140 0 0 0 0 4096 16796879 0 0 0 17 1 0 0 0"
            + " 0 0 0 0 0 0 0 0 0 0\n";

    @Test
    void readsUserPlusSystemTimeFromTheFieldsAfterTheCommandName() {
        assertEquals(18, ticks(STAT_LINE));
        // a thread or process name may hold spaces and parentheses: fields count from the last ')'
        assertEquals(18, ticks(STAT_LINE.replace("(java)", "(my app) (v2))")));
        assertEquals(12_345_678_901L + 7, ticks(STAT_LINE.replace(" 15 3 ", " 12345678901 7 ")));
    }

    @Test
    void aLineItCannotReadIsMinusOneNotAGuess() {
        assertEquals(-1, ticks(""));
        assertEquals(-1, ticks("4242 java S 1 2 3"));
        assertEquals(-1, ticks("4242 (java) S 4241 4242\n"));
        assertEquals(-1, ticks(STAT_LINE.replace(" 15 3 ", " 15 x3 ")));
    }

    @Test
    void theBufferMayBeLongerThanTheLine() {
        byte[] buffer = new byte[1024];
        byte[] line = STAT_LINE.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(line, 0, buffer, 0, line.length);
        assertEquals(18, StartupSettle.cpuTicks(buffer, line.length));
    }

    @Test
    void quietMeansACoreToSpare() {
        // two cores, a 20 ms window: one tick (10 ms, the rounding of an idle window) is quiet, two are not
        assertTrue(StartupSettle.isQuiet(0, 20, 2));
        assertTrue(StartupSettle.isQuiet(1, 20, 2));
        assertFalse(StartupSettle.isQuiet(2, 20, 2));
        // one core: only an idle window leaves room
        assertTrue(StartupSettle.isQuiet(0, 20, 1));
        assertFalse(StartupSettle.isQuiet(1, 20, 1));
        // eight cores: an application starting on two of them leaves plenty
        assertTrue(StartupSettle.isQuiet(4, 20, 8));
        assertFalse(StartupSettle.isQuiet(14, 20, 8));
    }

    @Test
    void thePauseEndsWhenTheProcessQuietsAtTheLatestAfterTheMaximum() {
        StartupSettle settle = new StartupSettle(new File("/nonexistent"), 2);
        long first = StartupSettle.MIN_MILLIS;
        assertFalse(settle.settled(100, 104, first), "busy: 4 ticks in 20 ms on 2 cores");
        assertTrue(settle.settled(100, 101, first), "quiet");
        assertFalse(settle.settled(100, 104, StartupSettle.MAX_MILLIS - StartupSettle.STEP_MILLIS));
        assertTrue(settle.settled(100, 104, StartupSettle.MAX_MILLIS), "busy still, but the maximum is reached");
        assertTrue(settle.settled(-1, 104, first), "no /proc: the minimum pause only");
        assertTrue(settle.settled(100, -1, first));
    }

    @Test
    void withoutProcTheMinimumPauseIsAllAndNothingThrows(@TempDir Path dir) throws Exception {
        assertEquals(-1, new StartupSettle(dir.resolve("missing").toFile(), 2).cpuTicks());
        new StartupSettle(dir.resolve("missing").toFile(), 2).await();
        Path garbage = Files.writeString(dir.resolve("stat"), "not a stat line");
        assertEquals(-1, new StartupSettle(garbage.toFile(), 2).cpuTicks());
        new StartupSettle(garbage.toFile(), 2).await();
    }

    @Test
    void readsThisProcessesGrowingCpuTime() {
        StartupSettle settle = StartupSettle.ofThisProcess();
        long before = settle.cpuTicks();
        assertTrue(before > 0, "a JVM that ran tests has used some CPU: " + before);
        // burn CPU until the total moves by a tick, a bounded number of rounds (a tick is 10 ms of CPU)
        long now = before;
        long sink = 0;
        for (int round = 0; round < 10_000 && now == before; round++) {
            for (int i = 0; i < 100_000; i++) {
                sink += i ^ round;
            }
            now = settle.cpuTicks();
        }
        assertTrue(now > before, "the CPU time grows (" + before + " -> " + now + ", " + sink + ")");
    }

    private static long ticks(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        return StartupSettle.cpuTicks(bytes, bytes.length);
    }
}
