package io.autoreg.registry.auth;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How {@code access.token.expires} is written, for the original clients as they really read it.
 *
 * <p>The identity service wrote {@code 2012-09-14T15:11:57.585-05:00}: always three digits of milliseconds and a
 * numeric offset. The Java client (java-service-registry-client's {@code Token.getExpires}) rewrites
 * {@code -0X:00} to {@code -0X00} and parses with {@code SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.sssZ")}: a
 * {@code Z} suffix or missing milliseconds make it null (and the client then throws a NullPointerException on its
 * next call), and its {@code .sss} is a second field again, so it reads the minute plus the milliseconds as
 * seconds ({@code 15:11:57.585} becomes {@code 15:20:45}).
 *
 * <p>So expiries are {@link #align aligned}: a whole second plus as many milliseconds as that second's number in
 * its minute ({@code 15:11:57.057}). Every ISO-8601 reader gets the true instant, the Java client gets it to the
 * millisecond rounded down to the second, never later (it refreshes its token in time instead of meeting a 401).
 */
public final class TokenExpiry {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'-00:00'").withZone(ZoneOffset.UTC);

    private TokenExpiry() {}

    /** The instant in the same second as {@code epochMillis} whose milliseconds equal that second's number in its minute. */
    public static long align(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000);
        return seconds * 1000 + Math.floorMod(seconds, 60);
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS-00:00} in UTC. */
    public static String format(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }
}
