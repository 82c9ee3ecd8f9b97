package io.autoreg.registry.events;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered UUIDs (UUIDv7 layout): 48 bits of epoch ms, a 12-bit sequence within the ms, and
 * random bits. As lowercase strings they sort like their creation order, so markers are plain keys.
 */
public final class EventIds {
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

    /**
     * 8-4-4-4-12 hex digits, either case. Without a regex: every long poll's marker is checked, and a Matcher per
     * poll was part of the re-poll burst's garbage (docs/benchmarks.md, "Watchers", issue 16, part 1).
     */
    public static boolean wellFormed(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = (i == 8 || i == 13 || i == 18 || i == 23)
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
