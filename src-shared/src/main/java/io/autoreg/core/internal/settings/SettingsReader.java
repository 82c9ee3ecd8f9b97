package io.autoreg.core.internal.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Typed, validated getters over a resolved settings tree. Keys are full paths
 * ({@code autoreg.heartbeat.timeout}). Every bad or missing value becomes a one-line
 * {@link SettingsException} naming the key, where the value came from and what is allowed; nothing is
 * silently corrected.
 *
 * <p>System properties and environment variables can only carry strings, so lists also accept a comma
 * separated string ({@code a,b}) and maps a comma separated list of pairs ({@code k=v,k2=v2}).
 */
public final class SettingsReader {

    private static final Pattern UNITLESS_NUMBER = Pattern.compile("\\s*-?\\d+(\\.\\d+)?\\s*");

    private final Config config;

    public SettingsReader(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** A required string (numbers and booleans are rendered as written). */
    public String string(String key) {
        String value = stringOrNull(key);
        if (value == null) {
            throw bad(key, "a value is required");
        }
        return value;
    }

    /** Whether {@code key}'s value is the built-in default's: no layer a user writes (a file, -D, a variable) set it. */
    public boolean isBuiltInDefault(String key) {
        ConfigValue value = valueOrNull(key);
        return value != null && value.origin() != null && value.origin().resource() != null;
    }

    /** A string, or null when the key is absent, {@code null}, or blank. */
    public String stringOrNull(String key) {
        ConfigValue value = valueOrNull(key);
        if (value == null) {
            return null;
        }
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
            throw bad(
                    key,
                    "expected a single value, not a " + value.valueType().name().toLowerCase(Locale.ROOT));
        }
        String s = String.valueOf(value.unwrapped());
        return s.isBlank() ? null : s;
    }

    public boolean bool(String key) {
        try {
            return config.getBoolean(key);
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw bad(key, "expected true or false");
        }
    }

    public int intIn(String key, int min, int max) {
        int value;
        try {
            value = config.getInt(key);
        } catch (ConfigException.Missing | ConfigException.WrongType e) {
            throw bad(key, "expected a whole number between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw bad(key, "expected a whole number between " + min + " and " + max);
        }
        return value;
    }

    /** A declared duration, within its declared range. */
    public Duration duration(Setting setting) {
        return duration(setting.path(), setting.min(), setting.max());
    }

    /** A duration with a unit ({@code 500ms}, {@code 3s}, {@code 2m}), inclusive bounds. */
    public Duration duration(String key, Duration min, Duration max) {
        Duration value = durationOrNull(key, min, max);
        if (value == null) {
            throw bad(key, durationAllowed(min, max));
        }
        return value;
    }

    /**
     * A duration or null. A bare number is rejected rather than read as milliseconds (Typesafe Config's
     * rule), because {@code timeout = 30} almost always means seconds.
     */
    public Duration durationOrNull(String key, Duration min, Duration max) {
        ConfigValue raw = valueOrNull(key);
        if (raw == null) {
            return null;
        }
        if (raw.valueType() == ConfigValueType.NUMBER
                || (raw.valueType() == ConfigValueType.STRING
                        && UNITLESS_NUMBER.matcher((String) raw.unwrapped()).matches())) {
            throw bad(key, durationAllowed(min, max) + " (a unit is required)");
        }
        if (raw.valueType() == ConfigValueType.STRING && ((String) raw.unwrapped()).isBlank()) {
            return null;
        }
        Duration value;
        try {
            value = config.getDuration(key);
        } catch (ConfigException e) {
            throw bad(key, durationAllowed(min, max));
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw bad(key, durationAllowed(min, max));
        }
        return value;
    }

    /** A list; a string is split on commas ({@code -Dautoreg.service.tags=a,b}); null means empty. */
    public List<String> stringList(String key) {
        ConfigValue value = valueOrNull(key);
        if (value == null) {
            return List.of();
        }
        switch (value.valueType()) {
            case STRING:
                return Setting.splitList((String) value.unwrapped());
            case LIST:
                List<String> out = new ArrayList<>();
                for (Object element : (List<?>) value.unwrapped()) {
                    if (element == null || element instanceof Map || element instanceof List) {
                        throw bad(key, "expected a list of strings such as [a, b] or a comma separated string a,b");
                    }
                    out.add(String.valueOf(element));
                }
                return Collections.unmodifiableList(out);
            default:
                throw bad(key, "expected a list of strings such as [a, b] or a comma separated string a,b");
        }
    }

    /**
     * A string map, insertion-ordered. An object is flattened with dots (so
     * {@code -Dautoreg.service.metadata.k8s.io=x} gives key {@code k8s.io}); a string is read as
     * {@code k=v,k2=v2}; null means empty.
     */
    public Map<String, String> stringMap(String key) {
        ConfigValue value = valueOrNull(key);
        if (value == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        switch (value.valueType()) {
            case STRING:
                Map<String, String> pairs = Setting.splitPairs((String) value.unwrapped());
                if (pairs == null) {
                    throw bad(key, "expected key=value pairs separated by commas, such as k=v,k2=v2");
                }
                out.putAll(pairs);
                break;
            case OBJECT:
                flatten("", (ConfigObject) value, out);
                break;
            default:
                throw bad(key, "expected an object such as { k = v } or key=value pairs such as k=v,k2=v2");
        }
        return Collections.unmodifiableMap(out);
    }

    /** An enum constant from its kebab-case spelling ({@code service-registry} → {@code SERVICE_REGISTRY}). */
    public <E extends Enum<E>> E oneOf(String key, Class<E> type) {
        String value = stringOrNull(key);
        for (E constant : type.getEnumConstants()) {
            if (kebab(constant).equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
                return constant;
            }
        }
        throw bad(
                key,
                "expected one of "
                        + Arrays.stream(type.getEnumConstants())
                                .map(SettingsReader::kebab)
                                .collect(Collectors.joining(" | ")));
    }

    /** A value is one of the allowed strings. */
    public String oneOf(String key, List<String> allowed) {
        String value = stringOrNull(key);
        if (value == null || !allowed.contains(value)) {
            throw bad(key, "expected one of " + String.join(" | ", allowed));
        }
        return value;
    }

    public static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * A {@link SettingsException} for the current value of {@code key}; the password of a {@code user:password@}
     * URL shown as {@value RegistrySettings#REDACTED}.
     */
    public SettingsException bad(String key, String allowed) {
        ConfigValue value = valueIncludingNull(key);
        return new SettingsException(key, value == null ? "not set" : origin(value.origin()), rendered(value), allowed);
    }

    /**
     * A value as a settings error shows it, between the quotes the error adds: a string as it is (a URL's password
     * hidden), anything else in HOCON's concise form; null for no value.
     */
    public static String rendered(ConfigValue value) {
        return value == null || value.valueType() == ConfigValueType.NULL
                ? null
                : value.valueType() == ConfigValueType.STRING
                        ? UrlCredentials.redacted((String) value.unwrapped())
                        : value.render(ConfigRenderOptions.concise());
    }

    /** Where a value came from: {@code file.conf:12}, {@code system property -Dautoreg.x}, … */
    public static String origin(ConfigOrigin origin) {
        if (origin == null) {
            return "unknown origin";
        }
        if (origin.resource() != null) {
            return "built-in default " + origin.resource() + (origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "");
        }
        if (origin.filename() != null) {
            return origin.filename() + (origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "");
        }
        return origin.description();
    }

    /** The value at {@code key}, or null if absent or {@code null}. */
    ConfigValue valueOrNull(String key) {
        ConfigValue value = valueIncludingNull(key);
        return value == null || value.valueType() == ConfigValueType.NULL ? null : value;
    }

    /** Walks the tree by hand: {@link Config#getValue} refuses {@code null} leaves, which we must report. */
    ConfigValue valueIncludingNull(String key) {
        List<String> path;
        try {
            path = ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            throw new SettingsException(key, "program", null, "not a valid settings path");
        }
        ConfigValue current = config.root();
        for (String element : path) {
            if (!(current instanceof ConfigObject)) {
                return null;
            }
            current = ((ConfigObject) current).get(element);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static void flatten(String prefix, ConfigObject object, Map<String, String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String k = prefix.isEmpty() ? e.getKey() : prefix + '.' + e.getKey();
            ConfigValue v = e.getValue();
            switch (v.valueType()) {
                case OBJECT -> flatten(k, (ConfigObject) v, out);
                case NULL -> {}
                case LIST ->
                    out.put(
                            k,
                            ((List<?>) v.unwrapped())
                                    .stream().map(String::valueOf).collect(Collectors.joining(",")));
                default -> out.put(k, String.valueOf(v.unwrapped()));
            }
        }
    }

    private static String durationAllowed(Duration min, Duration max) {
        return Setting.durationAllowed(min, max);
    }

    /** {@code 250ms}, {@code 120s}, {@code 10m}, {@code 1h}: exact, seconds up to five minutes. */
    public static String format(Duration d) {
        return Setting.format(d);
    }
}
