package io.autoreg.registry.events;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Time-ordered UUIDs (UUIDv7 layout): 48 bits of epoch ms, a 12-bit sequence within the ms, and
 * random bits. As lowercase strings they sort like their creation order, so markers are plain keys.
 */
public final class EventIds {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private final long processBits = new SecureRandom().nextLong() & 0x3FFFFFFFFFFFFFFFL;
    private long lastMillis;
    private int sequence;

    public synchronized String next(long nowMillis) {
        if (nowMillis > lastMillis) {
            lastMillis = nowMillis;
            sequence = 0;
        } else if (++sequence > 0xFFF) {
            lastMillis++;
            sequence = 0;
        }
        return new UUID((lastMillis << 16) | 0x7000 | sequence, 0x8000000000000000L | processBits).toString();
    }

    /** After a restart: never hand out an id that sorts before one already stored. */
    public synchronized void observe(String id) {
        long millis = millisOf(id);
        if (millis > lastMillis) {
            lastMillis = millis;
            sequence = 0xFFF;
        }
    }

    /** The smallest id of {@code millis}: the start key of a time window. */
    public static String floor(long millis) {
        return new UUID((millis << 16), 0L).toString();
    }

    public static long millisOf(String id) {
        return UUID.fromString(id).getMostSignificantBits() >>> 16;
    }

    public static boolean wellFormed(String s) {
        return s != null && s.length() == 36 && UUID_TEXT.matcher(s).matches();
    }
}
