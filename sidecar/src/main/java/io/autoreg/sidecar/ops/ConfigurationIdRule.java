package io.autoreg.sidecar.ops;

import io.autoreg.sidecar.cli.UsageException;

/**
 * The API's rule for configuration ids and values (docs/api.md §5), checked before the registry is asked: the registry
 * answers a bad one with the original service's fault, "Invalid value for 'configurationId' query string parameter",
 * which names neither the part at fault nor the rule. The registry stays the judge of everything else.
 */
final class ConfigurationIdRule {

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
        String[] parts = path.split("/", -1);
        String problem = null;
        if (path.isEmpty() || path.endsWith("/")) {
            problem = "it has no key after its namespace";
        } else if (parts.length - 1 > MAX_SEGMENTS) {
            problem = (parts.length - 1) + " namespace segments";
        } else {
            for (int i = 0; i < parts.length - 1 && problem == null; i++) {
                if (!isSegment(parts[i])) {
                    problem = "namespace segment '" + parts[i] + "'";
                }
            }
            String key = parts[parts.length - 1];
            if (problem == null && !isKey(key)) {
                problem = "key '" + key + "'";
            }
            if (problem == null && (parts.length == 1 ? path : "/" + path).length() > MAX_ID_LENGTH) {
                problem = "it is longer than " + MAX_ID_LENGTH + " characters";
            }
        }
        if (problem != null) {
            throw new UsageException("configuration id '" + id + "': " + problem + "; " + RULE);
        }
    }

    /** Throws a {@link UsageException} for a namespace ({@code /production/cassandra}) that no id can be under. */
    static void checkNamespace(String namespace) {
        String[] segments = namespace.substring(1).split("/", -1);
        if (segments.length > MAX_SEGMENTS) {
            throw new UsageException("--namespace " + namespace + ": " + segments.length + " segments; " + RULE);
        }
        for (String segment : segments) {
            if (!isSegment(segment)) {
                throw new UsageException("--namespace " + namespace + ": segment '" + segment + "'; " + RULE);
            }
        }
    }

    static void checkValue(String value) {
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            throw new UsageException(
                    "a configuration value is 1-" + MAX_VALUE_LENGTH + " characters, this one " + value.length());
        }
    }

    private static boolean isSegment(String segment) {
        return segment.length() >= 3 && segment.length() <= 50 && allOf(segment, false);
    }

    private static boolean isKey(String key) {
        return key.length() >= 3 && key.length() <= 170 && allOf(key, true);
    }

    /** Letters and digits of ASCII, '_' and '-', and '.' where {@code dot}. */
    private static boolean allOf(String text, boolean dot) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || (dot && c == '.');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
