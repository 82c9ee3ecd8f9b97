package io.autoreg.registry.log;

import io.autoreg.registry.http.JsonText;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One line per registration, deregistration, expiry and auth failure, as text
 * ({@code [autoreg] registry: <time> info service.register tenant=7777 id=web-1}) or as JSON Lines with
 * the sidecar's fields ({@code time, level, logger, message}) plus the event and its fields.
 *
 * <p>Request threads only queue a small record: the line is built and written by one daemon thread, so a
 * slow stderr never blocks an IO thread. When the queue is full lines are dropped and counted (a line says
 * how many). Auth failures are limited to {@link #AUTH_FAILURES_PER_SECOND} lines a second; the rest are
 * counted and summed up in one line a second, so a token-guessing flood cannot flood the log.
 */
public final class ActivityLog implements AutoCloseable {
    public static final String LOGGER = "autoreg.registry";
    static final int AUTH_FAILURES_PER_SECOND = 10;
    private static final int CAPACITY = 65_536;

    /** The two shapes of a line: {@code autoreg.server.log-format = text | json}. */
    public enum Format {
        TEXT,
        JSON;

        /** Null for anything but {@code text} or {@code json}. */
        public static Format parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> null;
            };
        }
    }

    record Entry(long time, String level, String event, String[] fields) {}

    private final Format format;
    private final PrintStream out;
    private final LongSupplier wallClock;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong authSecond = new AtomicLong(-1);
    private final AtomicInteger authInSecond = new AtomicInteger();
    private final AtomicLong authSuppressed = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    public ActivityLog(Format format, PrintStream out, LongSupplier wallClock) {
        this.format = format;
        this.out = out;
        this.wallClock = wallClock;
        writer = new Thread(this::drain, "autoreg-log");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * To {@code System.err} as it is now: the command line puts its JSON wrapper in place only after the
     * server started, so these lines, already in their format, are not wrapped twice; in a test JVM the
     * runner's captured stream receives them.
     */
    public static ActivityLog stderr(Format format) {
        return new ActivityLog(format, System.err, System::currentTimeMillis);
    }

    /** {@code fields}: key, value, key, value...; a null value is left out. */
    public void info(String event, String... fields) {
        offer(new Entry(wallClock.getAsLong(), "info", event, fields));
    }

    /** A refused credential: rate-limited, see the class comment. */
    public void authFailure(String... fields) {
        long now = wallClock.getAsLong();
        long second = now / 1000;
        long current = authSecond.get();
        if (current != second && authSecond.compareAndSet(current, second)) {
            authInSecond.set(0);
        }
        if (authInSecond.incrementAndGet() > AUTH_FAILURES_PER_SECOND) {
            authSuppressed.incrementAndGet();
            return;
        }
        offer(new Entry(now, "warn", "auth.failure", fields));
    }

    private void offer(Entry entry) {
        if (closed || !queue.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    private void drain() {
        long lastSummary = wallClock.getAsLong() / 1000;
        try {
            while (!closed || !queue.isEmpty()) {
                Entry entry = queue.poll(250, TimeUnit.MILLISECONDS);
                boolean wrote = false;
                while (entry != null) {
                    out.println(line(entry));
                    wrote = true;
                    entry = queue.poll();
                }
                long second = wallClock.getAsLong() / 1000;
                if (second != lastSummary) {
                    lastSummary = second;
                    wrote |= summaries();
                }
                if (wrote) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        summaries();
        out.flush();
    }

    /** The counts of what was left out since the last summary; true when a line was written. */
    private boolean summaries() {
        boolean wrote = false;
        long suppressed = authSuppressed.getAndSet(0);
        if (suppressed > 0) {
            out.println(line(new Entry(wallClock.getAsLong(), "warn", "auth.failure.suppressed", new String[] {
                "count",
                Long.toString(suppressed),
                "note",
                "and " + suppressed + " more auth failures (at most " + AUTH_FAILURES_PER_SECOND + " lines a second)"
            })));
            wrote = true;
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            out.println(line(new Entry(wallClock.getAsLong(), "warn", "log.dropped", new String[] {
                "count", Long.toString(lost), "note", "stderr did not keep up; these lines were dropped"
            })));
            wrote = true;
        }
        return wrote;
    }

    String line(Entry entry) {
        return format == Format.JSON ? json(entry) : text(entry);
    }

    /** {@code [autoreg] registry: <time> <level> <event> key=value ...}, values with spaces or quotes quoted. */
    static String text(Entry entry) {
        StringBuilder sb = new StringBuilder(128)
                .append("[autoreg] registry: ")
                .append(Instant.ofEpochMilli(entry.time()))
                .append(' ')
                .append(entry.level())
                .append(' ');
        return message(sb, entry).toString();
    }

    /** One JSON object: time, level, logger, message (as the text line reads after its level), event, fields. */
    static String json(Entry entry) {
        StringBuilder sb = new StringBuilder(256)
                .append("{\"time\":\"")
                .append(Instant.ofEpochMilli(entry.time()))
                .append("\",\"level\":\"")
                .append(entry.level())
                .append("\",\"logger\":\"")
                .append(LOGGER)
                .append("\",\"message\":");
        JsonText.string(sb, message(new StringBuilder(128), entry).toString());
        sb.append(",\"event\":");
        JsonText.string(sb, entry.event());
        String[] f = entry.fields();
        for (int i = 0; i + 1 < f.length; i += 2) {
            if (f[i + 1] != null) {
                sb.append(',');
                JsonText.string(sb, f[i]);
                sb.append(':');
                JsonText.string(sb, f[i + 1]);
            }
        }
        return sb.append('}').toString();
    }

    /** A line of another part of the registry (a warning, a failure) in the same JSON shape. */
    public static String jsonLine(long time, String level, String message) {
        StringBuilder sb = new StringBuilder(128 + message.length())
                .append("{\"time\":\"")
                .append(Instant.ofEpochMilli(time))
                .append("\",\"level\":\"")
                .append(level)
                .append("\",\"logger\":\"")
                .append(LOGGER)
                .append("\",\"message\":");
        JsonText.string(sb, message);
        return sb.append('}').toString();
    }

    private static StringBuilder message(StringBuilder sb, Entry entry) {
        sb.append(entry.event());
        String[] f = entry.fields();
        for (int i = 0; i + 1 < f.length; i += 2) {
            if (f[i + 1] != null) {
                sb.append(' ').append(f[i]).append('=');
                quoted(sb, f[i + 1]);
            }
        }
        return sb;
    }

    /** A value that would break the key=value reading (blank, space, quote, =, control character) is JSON-quoted. */
    private static void quoted(StringBuilder sb, String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != 0x7f;
        }
        if (plain) {
            sb.append(value);
        } else {
            JsonText.string(sb, value);
        }
    }

    /** Writes what is queued, then stops the writer (bounded wait). */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
