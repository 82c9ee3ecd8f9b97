package io.autoreg.registry.http;

import java.util.List;
import java.util.Map;

/** Hand-written JSON output for hot paths (heartbeats, large lists), where a tree costs too much. */
public final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    public static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    public static void strings(StringBuilder sb, List<String> values) {
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            string(sb, values.get(i));
        }
        sb.append(']');
    }

    public static void map(StringBuilder sb, Map<String, String> values) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            string(sb, e.getValue());
        }
        sb.append('}');
    }

    public static String token(String token) {
        return "{\"token\":\"" + token + "\"}";
    }

    private static final byte[] TOKEN_OPEN = "{\"token\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Where the token starts in {@link #tokenAnswer()} and {@link #tokenUtf8}. */
    public static final int TOKEN_AT = TOKEN_OPEN.length;

    /** A heartbeat token's length (a UUID's text, {@code HeartbeatTokens.TOKEN_LENGTH}). */
    private static final int TOKEN_LENGTH = 36;

    /**
     * A new {@code {"token":"…"}} answer with the token's {@code HeartbeatTokens.TOKEN_LENGTH} bytes at
     * {@link #TOKEN_AT} still to be written (by {@code HeartbeatTokens.issueInto}).
     */
    public static byte[] tokenAnswer() {
        byte[] out = new byte[TOKEN_AT + TOKEN_LENGTH + 2];
        System.arraycopy(TOKEN_OPEN, 0, out, 0, TOKEN_AT);
        out[out.length - 2] = '"';
        out[out.length - 1] = '}';
        return out;
    }

    /**
     * {@link #token} as UTF-8 bytes in one array, for the heartbeat's answer (no String concatenation, and
     * the sender writes the array as it is instead of copying a String into a pooled buffer).
     * The token is one the server issued: 36 ASCII characters, nothing to escape.
     */
    public static byte[] tokenUtf8(String token) {
        int n = token.length();
        byte[] out = new byte[TOKEN_OPEN.length + n + 2];
        System.arraycopy(TOKEN_OPEN, 0, out, 0, TOKEN_OPEN.length);
        for (int i = 0; i < n; i++) {
            out[TOKEN_OPEN.length + i] = (byte) token.charAt(i); // ASCII: the low byte of each char is the char
        }
        out[out.length - 2] = '"';
        out[out.length - 1] = '}';
        return out;
    }
}
