package io.autoreg.agent.lite;

import java.util.List;
import java.util.Map;

/**
 * The little JSON the light clients write (strings, string arrays, string maps) and read (one named field of an
 * answer whose shape the registry fixes). No parser: Jackson is what the fast path exists to avoid.
 */
final class LiteJson {

    private LiteJson() {}

    static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    /**
     * The value of a top-level string field whose value has no escapes (tokens are UUIDs, fault types
     * are identifiers), or null.
     */
    static String stringField(String json, String name) {
        int at = json.indexOf("\"" + name + "\"");
        if (at < 0) {
            return null;
        }
        int colon = json.indexOf(':', at + name.length() + 2);
        int open = colon < 0 ? -1 : json.indexOf('"', colon + 1);
        int close = open < 0 ? -1 : json.indexOf('"', open + 1);
        if (close < 0 || !json.substring(colon + 1, open).isBlank()) {
            return null;
        }
        return json.substring(open + 1, close);
    }

    /**
     * The first field of that name, wherever it is nested, when its value is a number or a string without escapes:
     * the number's or the string's text, else null. proto3's JSON writes a 64-bit integer as a string
     * ({@code "TTL":"30"}, {@code "ID":"7587869435437342213"}) and a 32-bit one as a number ({@code "code":5}); a
     * reader takes either, as Jackson's {@code asText}/{@code asLong} do. etcd's answers name each field once (the
     * header's are {@code cluster_id}, {@code member_id}, {@code revision}, {@code raft_term}).
     */
    static String scalarField(String json, String name) {
        int at = json.indexOf("\"" + name + "\"");
        if (at < 0) {
            return null;
        }
        int i = skipBlanks(json, at + name.length() + 2);
        if (i >= json.length() || json.charAt(i) != ':') {
            return null;
        }
        i = skipBlanks(json, i + 1);
        if (i < json.length() && json.charAt(i) == '"') {
            int close = json.indexOf('"', i + 1);
            int escape = json.indexOf('\\', i + 1);
            return close < 0 || (escape >= 0 && escape < close) ? null : json.substring(i + 1, close);
        }
        int to = i;
        while (to < json.length() && "-+.eE0123456789".indexOf(json.charAt(to)) >= 0) {
            to++;
        }
        return to == i ? null : json.substring(i, to);
    }

    /** {@link #scalarField} as a whole number; {@code absent} when missing or not one. */
    static long longField(String json, String name, long absent) {
        String text = scalarField(json, name);
        if (text == null) {
            return absent;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    private static int skipBlanks(String json, int i) {
        while (i < json.length()
                && (json.charAt(i) == ' '
                        || json.charAt(i) == '\n'
                        || json.charAt(i) == '\r'
                        || json.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    static String array(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (String v : values) {
            out.append(out.length() > 1 ? "," : "").append(string(v));
        }
        return out.append(']').toString();
    }

    static String object(Map<String, String> values) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, String> pair : values.entrySet()) {
            out.append(out.length() > 1 ? "," : "")
                    .append(string(pair.getKey()))
                    .append(':')
                    .append(string(pair.getValue()));
        }
        return out.append('}').toString();
    }
}
