package io.autoreg.registry.log;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * With {@code log-format = json}, {@code System.err}: the registry's other lines (warnings, failures of the
 * journal, a bad request's internal error) become JSON objects of the same shape as the activity lines, so
 * the stream stays JSON Lines throughout. Such lines are rare, so they are written at once.
 */
public final class JsonStderr extends PrintStream {
    private static final String PREFIX = "[autoreg] registry: ";
    private final PrintStream target;
    private final LongSupplier wallClock;

    public JsonStderr(PrintStream target, LongSupplier wallClock) {
        super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        this.target = target;
        this.wallClock = wallClock;
    }

    /** One line as JSON: the prefix dropped, {@code WARNING:} lines at warn, the others at error. */
    static String toJson(long time, String line) {
        String message = line.startsWith(PREFIX) ? line.substring(PREFIX.length()) : line;
        String level = "error";
        if (message.startsWith("WARNING: ")) {
            message = message.substring("WARNING: ".length());
            level = "warn";
        }
        return ActivityLog.jsonLine(time, level, message);
    }

    @Override
    public void println(String line) {
        synchronized (target) {
            target.println(toJson(wallClock.getAsLong(), String.valueOf(line)));
            target.flush();
        }
    }

    @Override
    public void println(Object line) {
        println(String.valueOf(line));
    }

    @Override
    public void print(String s) {
        // Only whole lines are logged; a bare print (a stack trace's frames) still becomes one object per call.
        if (s != null && !s.isBlank()) {
            println(s.endsWith("\n") ? s.substring(0, s.length() - 1) : s);
        }
    }
}
