package io.autoreg.agent;

import io.autoreg.agent.listen.ProcFields;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;

/**
 * The runtime's pause before its one-time work (hooks, settings, the first registration), right after the
 * application first listened: at least {@link #MIN_MILLIS}, then until the process leaves a core to spare, at most
 * {@link #MAX_MILLIS}.
 *
 * <p>Why not a fixed pause: a server's first requests right after its bind are its slowest (class loading, the
 * interpreter, the compilers); the sample app's first one takes ~100 ms of two busy cores on JDK 25, so a fixed
 * 100 ms pause ended in the middle of it, and the agent's ~10 ms of start-up work then competed with it on a small
 * machine (docs/benchmarks.md, 2026-12-06). The process's own CPU time says when that work is over: it falls to
 * nearly nothing the moment the first request is answered, or stays up in an application that keeps starting (the
 * pause then ends at {@link #MAX_MILLIS}, so bind → visible stays inside 300 ms).
 *
 * <p>The CPU time comes from {@code /proc/self/stat} (user + system time of all threads, dead ones included: the
 * kernel's exact total in clock ticks, 10 ms each); one read costs tens of microseconds, at most seven per start.
 * Without {@code /proc} (or where it cannot be read) the pause is {@link #MIN_MILLIS}, as before.
 */
final class StartupSettle {

    static final long MIN_MILLIS = 100;
    /** Bind → visible stays inside 300 ms: this, plus the first registration's ~20–40 ms in a cold JVM. */
    static final long MAX_MILLIS = 200;
    /** One look at the process's CPU per this many ms: two clock ticks, so one tick of rounding is half a core. */
    static final long STEP_MILLIS = 20;
    /** Clock ticks per second of {@code /proc/[pid]/stat} ({@code USER_HZ}): 100 on every Linux the JDK runs on. */
    static final long TICKS_PER_SECOND = 100;

    private final File stat;
    private final int cores;

    StartupSettle(File stat, int cores) {
        this.stat = stat;
        this.cores = cores;
    }

    static StartupSettle ofThisProcess() {
        return new StartupSettle(
                new File("/proc/self/stat"), Runtime.getRuntime().availableProcessors());
    }

    /** Pauses the calling thread (the agent's) as described above. */
    void await() throws InterruptedException {
        long waited = MIN_MILLIS - STEP_MILLIS;
        Thread.sleep(waited);
        long before = cpuTicks();
        while (true) {
            Thread.sleep(STEP_MILLIS);
            waited += STEP_MILLIS;
            long now = cpuTicks();
            if (settled(before, now, waited)) {
                return;
            }
            before = now;
        }
    }

    /**
     * Whether the pause is over after a window of {@link #STEP_MILLIS}.
     *
     * @param before the process's CPU ticks at the window's start, -1 when unreadable
     * @param now    the same at its end
     * @param waited the pause so far, in ms
     */
    boolean settled(long before, long now, long waited) {
        return waited >= MAX_MILLIS || before < 0 || now < 0 || isQuiet(now - before, STEP_MILLIS, cores);
    }

    /**
     * Whether the process left a core to spare during a window: it used less than {@code cores - 1} cores (half a
     * core on a one-core machine), so the agent's work no longer competes with the application's.
     *
     * @param ticks the process's CPU time in the window, in clock ticks
     */
    static boolean isQuiet(long ticks, long windowMillis, int cores) {
        long usedMillis = ticks * 1000 / TICKS_PER_SECOND;
        long spareMillis = cores > 1 ? windowMillis * (cores - 1) : windowMillis / 2;
        return usedMillis < spareMillis;
    }

    /** The process's user + system time in clock ticks, or -1 when it cannot be read. */
    long cpuTicks() {
        try (FileInputStream in = new FileInputStream(stat)) {
            byte[] line = in.readAllBytes();
            return cpuTicks(line, line.length);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Fields 14 and 15 (utime, stime) of a {@code stat} line. The command name (field 2) is in parentheses and may
     * itself hold spaces and parentheses, so the fields are counted from the last ')': the state (field 3) is the
     * first after it, utime the twelfth.
     */
    static long cpuTicks(byte[] line, int length) {
        int name = length - 1;
        while (name >= 0 && line[name] != ')') {
            name--;
        }
        int end = length > 0 && line[length - 1] == '\n' ? length - 1 : length;
        if (name < 0) {
            return -1;
        }
        long utime = number(line, name + 1, end, 12);
        long stime = number(line, name + 1, end, 13);
        return utime < 0 || stime < 0 ? -1 : utime + stime;
    }

    private static long number(byte[] line, int from, int to, int n) {
        long field = ProcFields.field(line, from, to, n);
        return field < 0 ? -1 : ProcFields.decimal(line, (int) (field >>> 32), (int) field);
    }
}
