package io.autoreg.sidecar.cli;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings overrides taken from command-line flags (keys relative to {@code autoreg.}), each remembering
 * the flag it came from, so that a bad value is reported as {@code (command-line flag --port)} rather
 * than by the settings key the user never typed. Given to {@code SettingsLoader.load(values(), this::origin, …)}.
 */
public final class FlagOverrides {
    private static final String ORIGIN = "command-line flag ";

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> flags = new HashMap<>();

    /** {@code key} set by {@code flag} (as typed, e.g. {@code --port}); a null value (flag absent) is ignored. */
    public FlagOverrides put(String key, String value, String flag) {
        if (value != null) {
            values.put(key, value);
            flags.put(key, flag);
        }
        return this;
    }

    /** {@code --set KEY=VALUE}: the origin names the full key, {@code autoreg.KEY}. */
    public FlagOverrides set(String key, String value) {
        return put(key, value, "autoreg." + key);
    }

    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    /** Where the override of {@code key} came from, for error messages. */
    public String origin(String key) {
        return ORIGIN + flags.getOrDefault(key, "autoreg." + key);
    }
}
