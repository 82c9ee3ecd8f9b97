package io.autoreg.core.internal.settings;

/**
 * A bad setting. The message always names the key, where the value came from, and what is allowed,
 * on one line, e.g.
 * {@code autoreg.heartbeat.timeout = "soon" (system property -Dautoreg.heartbeat.timeout): expected a duration such as 30s, between 3s and 120s}.
 */
public final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public SettingsException(String key, String origin, String value, String allowed) {
        super(key + " = " + (value == null ? "null" : '"' + value + '"') + " (" + origin + "): " + allowed);
        this.key = key;
    }

    public SettingsException(String message) {
        super(message);
        this.key = null;
    }

    /** The full key, such as {@code autoreg.heartbeat.timeout}, or null for a file-level error. */
    public String key() {
        return key;
    }
}
