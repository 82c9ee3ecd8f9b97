package io.autoreg.sidecar.ops;

import io.autoreg.sidecar.cli.UsageException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The API's rule for configuration ids and values (docs/api.md §5), checked before the registry is asked: the registry
 * answers a bad one with the original service's fault, "Invalid value for 'configurationId' query string parameter",
 * which names neither the part at fault nor the rule. The registry stays the judge of everything else.
 */
final class ConfigurationIdRule {

    /**
     * The registry's own rule (registry ConfigurationIds): 3 to this many ASCII letters, digits, '_' and '-', and '.'
     * in a key; {@link #fault} is its one statement, which says what breaks it.
     */
    private static final int MAX_SEGMENT_LENGTH = 50;

    private static final int MAX_KEY_LENGTH = 170;

    static final int MAX_SEGMENTS = 10;
    static final int MAX_ID_LENGTH = 500;
    static final int MAX_VALUE_LENGTH = 1024;

    private static final String RULE = "an id is a key (cassandra_listen_ip) or a namespaced key"
            + " (/production/cassandra/listen_ip): up to " + MAX_SEGMENTS + " namespace segments of 3-50 letters,"
            + " digits, '_' or '-', then a key of 3-170 letters, digits, '_', '.' or '-', "
            + MAX_ID_LENGTH + " characters at most";

    private ConfigurationIdRule() {}

    /**
     * Throws a {@link UsageException} naming what is wrong with {@code id}: "key", "/ns/…/key" or "ns/…/key" (leading
     * slashes are dropped, as the registry drops them from the path).
     */
    static void checkId(String id) {
        String path = id.replaceFirst("^/+", "");
        if (path.isEmpty() || path.endsWith("/")) {
            throw bad(id, "it has no key after its namespace");
        }
        String[] parts = path.split("/", -1);
        checkSegments(
                Arrays.asList(parts).subList(0, parts.length - 1), "namespace segment", problem -> bad(id, problem));
        String key = parts[parts.length - 1];
        String keyFault = fault(key, MAX_KEY_LENGTH, true);
        if (keyFault != null) {
            throw bad(id, "key '" + key + "' " + keyFault);
        }
        if ((parts.length == 1 ? path : "/" + path).length() > MAX_ID_LENGTH) {
            throw bad(id, "it is longer than " + MAX_ID_LENGTH + " characters");
        }
    }

    private static UsageException bad(String id, String problem) {
        return new UsageException("configuration id '" + id + "': " + problem + "; " + RULE);
    }

    /** Throws a {@link UsageException} for a namespace ({@code /production/cassandra}) that no id can be under. */
    static void checkNamespace(String namespace) {
        checkSegments(
                Arrays.asList(namespace.substring(1).split("/", -1)),
                "segment",
                problem -> new UsageException("--namespace " + namespace + ": " + problem + "; " + RULE));
    }

    /** Too many segments, or the first that breaks the pattern, described as {@code what} to {@code bad}. */
    private static void checkSegments(List<String> segments, String what, Function<String, UsageException> bad) {
        if (segments.size() > MAX_SEGMENTS) {
            throw bad.apply(segments.size() + " " + what + "s");
        }
        for (String segment : segments) {
            String fault = fault(segment, MAX_SEGMENT_LENGTH, false);
            if (fault != null) {
                throw bad.apply(what + " '" + segment + "' " + fault);
            }
        }
    }

    /**
     * Null when {@code part} keeps the rule — 3 to {@code max} characters of those allowed ({@code dot}: a key, which
     * may hold '.') — else what breaks it.
     */
    private static String fault(String part, int max, boolean dot) {
        if (part.isEmpty()) {
            return "is empty (two slashes in a row?)";
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean allowed = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || (dot && c == '.'));
            if (!allowed) {
                return "has " + (c == ' ' ? "a space" : "'" + c + "'") + " at " + (i + 1) + ", not a letter, digit, '_'"
                        + (dot ? ", '.'" : "") + " or '-'" + (c == '.' ? " ('.' only in the key)" : "");
            }
        }
        if (part.length() < 3) {
            return "is " + part.length() + (part.length() == 1 ? " character" : " characters") + ", fewer than 3";
        }
        return part.length() > max ? "is " + part.length() + " characters, more than " + max : null;
    }

    static void checkValue(String value) {
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            throw new UsageException(
                    "a configuration value is 1-" + MAX_VALUE_LENGTH + " characters, this one " + value.length());
        }
    }
}
