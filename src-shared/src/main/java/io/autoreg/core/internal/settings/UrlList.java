package io.autoreg.core.internal.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code autoreg.registry.url} as a list: etcd's members and a Eureka {@code defaultZone} are written
 * {@code http://a:2379,http://b:2379}, in brackets in agent arguments, whose commas separate the arguments.
 */
public final class UrlList {

    private UrlList() {}

    /**
     * The URLs in order, trimmed, the brackets of {@code [a,b]} dropped. Split only at a comma that a
     * {@code scheme://} follows, so that a comma in a password ({@code http://u:p,w@host}) stays in its URL.
     */
    public static List<String> split(String text) {
        String value = Setting.unenclosed(text.trim(), '[', ']');
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int comma = value.indexOf(','); comma >= 0; comma = value.indexOf(',', comma + 1)) {
            if (startsWithScheme(value, comma + 1)) {
                add(out, value.substring(start, comma));
                start = comma + 1;
            }
        }
        add(out, value.substring(start));
        return Collections.unmodifiableList(out);
    }

    private static void add(List<String> out, String url) {
        if (!url.isBlank()) {
            out.add(url.trim());
        }
    }

    /** Whether {@code scheme://} (letters, digits, {@code + - .}, after spaces) starts at {@code from}. */
    private static boolean startsWithScheme(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        int schemeStart = i;
        while (i < text.length() && isSchemeChar(text.charAt(i), i == schemeStart)) {
            i++;
        }
        return i > schemeStart && text.startsWith("://", i);
    }

    private static boolean isSchemeChar(char c, boolean first) {
        boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return first ? letter : letter || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    }
}
