package io.autoreg.registry.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Percent-decoding done by us rather than by Undertow's parser, so that a bad escape is answered
 * with a fault body (Undertow would answer a bare 400) and an encoded slash stays distinguishable
 * from a path separator (an id containing "%2f" is refused, never split).
 */
public final class UrlDecoding {
    private UrlDecoding() {}

    /** Decodes a raw path; an escape that decodes to '/' or is malformed is a 400. */
    public static String path(String raw) {
        if (raw.indexOf('%') < 0 && isAscii(raw)) {
            return raw;
        }
        return decode(raw, false, "path");
    }

    /** Parses a raw query string: first value wins per name is the caller's choice; all kept in order. */
    public static Map<String, Deque<String>> query(String raw) {
        Map<String, Deque<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true, "query");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true, name);
            out.computeIfAbsent(name, n -> new ArrayDeque<>(1)).add(value);
        }
        return out;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String decode(String raw, boolean plusIsSpace, String what) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0) && isAscii(raw)) {
            // Nothing to decode (a long poll's "marker=<uuid>&wait=30"): no stream, decoder and buffers per
            // name and value, which were ~16 % of the registry's allocation with 10,000 watchers re-polling
            // (docs/benchmarks.md, "Watchers", issue 16, part 1).
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw invalid(what);
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw invalid(what);
                }
                int b = (hi << 4) | lo;
                if (!plusIsSpace && b == '/') {
                    throw invalid(what);
                }
                bytes.write(b);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // Raw non-ASCII in the request line: Undertow hands us its bytes as ISO-8859-1 chars.
                bytes.write(c & 0xFF);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid(what);
        }
    }

    private static ApiError invalid(String what) {
        if (what.equals("path")) {
            return ApiError.badRequest(
                    "Invalid request path",
                    "The path contains a malformed percent escape, an encoded slash or invalid UTF-8");
        }
        return ApiError.badRequest(
                "Invalid value for '" + what + "' query string parameter",
                "The " + what + " contains a malformed percent escape, an encoded slash or invalid UTF-8");
    }
}
