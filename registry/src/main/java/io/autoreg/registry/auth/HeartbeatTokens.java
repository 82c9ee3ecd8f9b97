package io.autoreg.registry.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Heartbeat tokens that the server can verify without storing them: a token is a UUID whose first
 * 32 bits are the token's generation and whose other 96 bits are HMAC-SHA256(secret, owner,
 * incarnation, generation). Heartbeats therefore never touch the disk, and after a restart a token
 * whose HMAC verifies is recognised (the secret is persisted in the data dir). No entropy is drawn
 * per token, so issuing one never blocks. Runs on every heartbeat, so it allocates little.
 */
public final class HeartbeatTokens {
    /** A token's length: a UUID's text. */
    public static final int TOKEN_LENGTH = 36;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final SecretKeySpec key;
    private final ThreadLocal<Scratch> scratch;

    /** Per-thread state: a Mac is not thread-safe, and buffers spare an allocation per call. */
    private static final class Scratch {
        final Mac mac;
        final byte[] numbers = new byte[17];
        final byte[] out = new byte[32];

        Scratch(Mac mac) {
            this.mac = mac;
        }
    }

    public HeartbeatTokens(byte[] secret) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(newMac()));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The owner's bytes as tokens bind them ("s|tenant|id" for a service, "se|tenant|id" for a session). */
    public static byte[] owner(String owner) {
        return owner.getBytes(StandardCharsets.UTF_8);
    }

    public String issue(String owner, long incarnation, long generation) {
        return issue(owner(owner), incarnation, generation);
    }

    public long verify(String token, String owner, long incarnation) {
        return verify(token, owner(owner), incarnation);
    }

    /** The token of {@code generation} for the owner in its incarnation. */
    public String issue(byte[] owner, long incarnation, long generation) {
        byte[] out = new byte[TOKEN_LENGTH];
        issueInto(out, 0, owner, incarnation, generation);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes the token of {@code generation} as {@link #TOKEN_LENGTH} ASCII bytes into {@code out} at
     * {@code at}: the heartbeat's answer is built around it without a String (docs/benchmarks.md,
     * "Heartbeat tail", issue 16, part 2).
     */
    public void issueInto(byte[] out, int at, byte[] owner, long incarnation, long generation) {
        byte[] mac = mac(owner, incarnation, generation);
        format(out, at, high(generation, mac), readLong(mac, 4));
    }

    /** The generation the token carries if it was issued for this owner and incarnation, else -1. */
    public long verify(String token, byte[] owner, long incarnation) {
        return verify(token, owner, incarnation, null);
    }

    /**
     * As {@link #verify(String, byte[], long)}, but a token equal to {@code lastIssued} — a token this
     * server issued for the same owner and incarnation, so its HMAC holds by construction — is accepted
     * without computing the HMAC again. That is the usual heartbeat (a client presents the token of its
     * last answer) and spares one of its two HMACs (docs/benchmarks.md, "Heartbeat tail"). Any other
     * token, and every token after a restart, is verified in full; the answer is the same either way.
     */
    public long verify(String token, byte[] owner, long incarnation, String lastIssued) {
        byte[] last = lastIssued == null || lastIssued.length() != TOKEN_LENGTH
                ? null
                : lastIssued.getBytes(StandardCharsets.ISO_8859_1);
        return verify(token, owner, incarnation, last, 0);
    }

    /**
     * As {@link #verify(String, byte[], long, String)} with the last issued token as the
     * {@link #TOKEN_LENGTH} ASCII bytes at {@code lastAt} of {@code lastIssued} (null: none), as a service
     * keeps it inside its last answer.
     */
    public long verify(String token, byte[] owner, long incarnation, byte[] lastIssued, int lastAt) {
        if (token == null || token.length() != TOKEN_LENGTH) {
            return -1;
        }
        return verify(token, null, 0, owner, incarnation, lastIssued, lastAt);
    }

    /**
     * As {@link #verify(String, byte[], long, byte[], int)} with the presented token as the bytes
     * {@code [from, to)} of {@code text} (a heartbeat's body), read in place without a String.
     */
    public long verify(byte[] text, int from, int to, byte[] owner, long incarnation, byte[] lastIssued, int lastAt) {
        if (to - from != TOKEN_LENGTH) {
            return -1;
        }
        return verify(null, text, from, owner, incarnation, lastIssued, lastAt);
    }

    /** The token is {@code token}, or else the 36 bytes of {@code bytes} from {@code at}. */
    private long verify(
            String token, byte[] bytes, int at, byte[] owner, long incarnation, byte[] lastIssued, int lastAt) {
        if (ch(token, bytes, at, 8) != '-'
                || ch(token, bytes, at, 13) != '-'
                || ch(token, bytes, at, 18) != '-'
                || ch(token, bytes, at, 23) != '-') {
            return -1;
        }
        long a = parseHex(token, bytes, at, 0, 8);
        long b = parseHex(token, bytes, at, 9, 13);
        long c = parseHex(token, bytes, at, 14, 18);
        long d = parseHex(token, bytes, at, 19, 23);
        long e = parseHex(token, bytes, at, 24, 36);
        if ((a | b | c | d | e) < 0) {
            return -1;
        }
        long hi = a << 32 | b << 16 | c;
        long lo = d << 48 | e;
        long generation = hi >>> 32;
        if (lastIssued != null && sameText(token, bytes, at, lastIssued, lastAt)) {
            return generation;
        }
        byte[] mac = mac(owner, incarnation, generation);
        // Compare all bits without an early exit, so timing says nothing about a near miss.
        long difference = (high(generation, mac) ^ hi) | (readLong(mac, 4) ^ lo);
        return difference == 0 ? generation : -1;
    }

    private static int ch(String token, byte[] bytes, int at, int i) {
        return token != null ? token.charAt(i) : bytes[at + i] & 0xFF;
    }

    /** Equal 36-character texts, compared without an early exit (as the HMAC comparison below). */
    private static boolean sameText(String token, byte[] bytes, int tokenAt, byte[] b, int at) {
        if (at < 0 || b.length - at < TOKEN_LENGTH) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < TOKEN_LENGTH; i++) {
            difference |= ch(token, bytes, tokenAt, i) ^ (b[at + i] & 0xFF);
        }
        return difference == 0;
    }

    private static long high(long generation, byte[] mac) {
        return (generation << 32) | (readLong(mac, 0) >>> 32);
    }

    private byte[] mac(byte[] owner, long incarnation, long generation) {
        Scratch s = scratch.get();
        s.mac.update(owner);
        s.numbers[0] = '|';
        writeLong(s.numbers, 1, incarnation);
        writeLong(s.numbers, 9, generation);
        s.mac.update(s.numbers);
        try {
            s.mac.doFinal(s.out, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return s.out;
    }

    private static void format(byte[] c, int at, long hi, long lo) {
        hex(c, at, hi >>> 32, 8);
        c[at + 8] = '-';
        hex(c, at + 9, hi >>> 16, 4);
        c[at + 13] = '-';
        hex(c, at + 14, hi, 4);
        c[at + 18] = '-';
        hex(c, at + 19, lo >>> 48, 4);
        c[at + 23] = '-';
        hex(c, at + 24, lo, 12);
    }

    private static void hex(byte[] c, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            c[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    /** The value of up to 15 ASCII hex digits, or -1 if any character is not one. */
    private static long parseHex(String s, byte[] bytes, int at, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int ch = ch(s, bytes, at, i);
            int d = ch >= '0' && ch <= '9'
                    ? ch - '0'
                    : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
