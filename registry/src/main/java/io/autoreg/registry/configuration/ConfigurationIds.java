package io.autoreg.registry.configuration;

import io.autoreg.registry.http.ApiError;
import java.util.regex.Pattern;

/**
 * Configuration ids (docs/api.md §5): a plain key, or up to 10 namespace segments and a key, written
 * {@code /ns1/ns2/key}. The path forms {@code ns1/ns2/key} and the original clients'
 * {@code /ns1/ns2/key} (a double slash after /configuration) mean the same id.
 */
public final class ConfigurationIds {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]{3,50}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{3,170}");
    private static final int MAX_LENGTH = 500;
    private static final int MAX_SEGMENTS = 10;

    private ConfigurationIds() {}

    /** A request target: an id, a namespace prefix (ends with '/'), or everything. */
    public record Target(String id, String namespace) {
        public boolean all() {
            return id == null && namespace == null;
        }
    }

    /** Parses the decoded path after "/configuration/" (may be empty). */
    public static Target parse(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return new Target(null, null);
        }
        if (p.endsWith("/")) {
            String namespace = "/" + p;
            String[] segments = p.substring(0, p.length() - 1).split("/", -1);
            if (segments.length > MAX_SEGMENTS || namespace.length() > MAX_LENGTH) {
                throw ApiError.invalidParameter("namespace");
            }
            for (String segment : segments) {
                if (!SEGMENT.matcher(segment).matches()) {
                    throw ApiError.invalidParameter("namespace");
                }
            }
            return new Target(null, namespace);
        }
        return new Target(validId(p), null);
    }

    /** Whether {@code id} (as stored: "key" or "/ns/key") is a well-formed configuration id. */
    public static boolean isValidId(String id) {
        try {
            String p = id.startsWith("/") ? id.substring(1) : id;
            return !p.isEmpty() && !p.endsWith("/") && validId(p).equals(id);
        } catch (ApiError e) {
            return false;
        }
    }

    private static String validId(String p) {
        String[] parts = p.split("/", -1);
        if (parts.length - 1 > MAX_SEGMENTS) {
            throw ApiError.invalidParameter("configurationId");
        }
        for (int i = 0; i < parts.length - 1; i++) {
            if (!SEGMENT.matcher(parts[i]).matches()) {
                throw ApiError.invalidParameter("configurationId");
            }
        }
        if (!KEY.matcher(parts[parts.length - 1]).matches()) {
            throw ApiError.invalidParameter("configurationId");
        }
        String id = parts.length == 1 ? p : "/" + p;
        if (id.length() > MAX_LENGTH) {
            throw ApiError.invalidParameter("configurationId");
        }
        return id;
    }

    /** The URL path of an id under /configuration. */
    public static String path(String id) {
        return id.startsWith("/") ? id : "/" + id;
    }
}
