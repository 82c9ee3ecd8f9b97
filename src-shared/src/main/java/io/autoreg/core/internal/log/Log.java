package io.autoreg.core.internal.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * autoreg's own tiny logger: one line per message on stderr, prefixed {@code [autoreg]}, quiet by
 * default (warnings and errors only).
 *
 * <p><b>Important:</b> this deliberately is not SLF4J or {@code java.util.logging}. The agent runs
 * inside host applications; touching their logging would initialise the host's LogManager early or
 * route our lines into their appenders. The level comes from {@code autoreg.log.level} and is applied
 * by {@link io.autoreg.core.internal.settings.SettingsLoader}.
 */
public final class Log {

    /** Levels, most severe first. */
    public enum Level {
        ERROR,
        WARN,
        INFO,
        DEBUG
    }

    private static volatile Level threshold = Level.WARN;
    private static volatile PrintStream sink = System.err;

    private Log() {}

    public static void level(Level level) {
        threshold = level;
    }

    public static Level level() {
        return threshold;
    }

    /** Redirects output (tests, or a front end that writes to its own stream); null restores stderr. */
    public static void sink(PrintStream out) {
        sink = out == null ? System.err : out;
    }

    public static boolean enabled(Level level) {
        return level.ordinal() <= threshold.ordinal();
    }

    public static void error(String message) {
        log(Level.ERROR, message, null);
    }

    public static void error(String message, Throwable cause) {
        log(Level.ERROR, message, cause);
    }

    public static void warn(String message) {
        log(Level.WARN, message, null);
    }

    public static void warn(String message, Throwable cause) {
        log(Level.WARN, message, cause);
    }

    public static void info(String message) {
        log(Level.INFO, message, null);
    }

    public static void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    public static void debug(String message, Throwable cause) {
        log(Level.DEBUG, message, cause);
    }

    /**
     * Writes one line. A cause is appended as {@code : Type: message} (a stack trace only at debug),
     * because an operator reads these lines among the host application's own output.
     */
    public static void log(Level level, String message, Throwable cause) {
        if (!enabled(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(96)
                .append("[autoreg] ")
                .append(Instant.now())
                .append(' ')
                .append(level.name().toLowerCase(Locale.ROOT))
                .append(' ')
                .append(message);
        if (cause != null) {
            line.append(": ").append(describe(cause));
        }
        PrintStream out = sink;
        synchronized (out) {
            out.println(line);
            if (cause != null && threshold == Level.DEBUG) {
                cause.printStackTrace(out);
            }
        }
    }

    /** {@code SimpleName: message}, the form used in every log line about a failure. */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
