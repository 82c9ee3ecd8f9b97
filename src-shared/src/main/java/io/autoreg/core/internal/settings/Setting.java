package io.autoreg.core.internal.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One declared setting: its key, type, default, range, environment variable and a one-line description
 * (what {@code docs/settings.md} is generated from). Plain Java and cheap to
 * build, so the agent's fast path ({@code LiteSettings}) reads the same declarations as the core's
 * Typesafe Config reader ({@link SettingsReader} via {@link SettingsValidator}) without loading Typesafe
 * Config. The parsing rules both readers must share for a value given as text (durations need a unit,
 * lists may be bracketed) live here as well.
 */
public final class Setting {

    /** What the value is. */
    public enum Type {
        BOOLEAN,
        STRING,
        ONE_OF,
        DURATION,
        LIST,
        MAP,
        /** A whole number between {@link #lowest()} and {@link #highest()} inclusive. */
        INT,
        /** A size in bytes with a unit ({@code 64m}); the registry's journal. */
        SIZE,
        /** A list of objects ({@code [{ ... }, { ... }]}): only in a config file. */
        OBJECTS
    }

    private static final String ENV_PREFIX = "AUTOREG_";

    private final String key;
    private final Type type;
    private final String defaultValue;
    private final Duration min;
    private final Duration max;
    private final List<String> allowed;
    private final List<String> envNames;
    private final long lowest;
    private final long highest;
    private final String description;

    private Setting(
            String key,
            Type type,
            String defaultValue,
            Duration min,
            Duration max,
            List<String> allowed,
            List<String> envNames) {
        this(key, type, defaultValue, min, max, allowed, envNames, 0, 0, "");
    }

    private Setting(
            String key,
            Type type,
            String defaultValue,
            Duration min,
            Duration max,
            List<String> allowed,
            List<String> envNames,
            long lowest,
            long highest,
            String description) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.allowed = allowed;
        this.envNames = envNames;
        this.lowest = lowest;
        this.highest = highest;
        this.description = description;
    }

    public static Setting bool(String key, boolean defaultValue) {
        return new Setting(
                key, Type.BOOLEAN, Boolean.toString(defaultValue), null, null, List.of(), List.of(envName(key)));
    }

    /** A string; {@code defaultValue} null means "not set" (the front end derives a value). */
    public static Setting string(String key, String defaultValue) {
        return new Setting(key, Type.STRING, defaultValue, null, null, List.of(), List.of(envName(key)));
    }

    public static Setting oneOf(String key, String defaultValue, String... allowed) {
        return new Setting(key, Type.ONE_OF, defaultValue, null, null, List.of(allowed), List.of(envName(key)));
    }

    /** A duration with a unit between {@code min} and {@code max} inclusive; {@code defaultValue} null: not set. */
    public static Setting duration(String key, String defaultValue, Duration min, Duration max) {
        return new Setting(key, Type.DURATION, defaultValue, min, max, List.of(), List.of(envName(key)));
    }

    public static Setting list(String key) {
        return new Setting(key, Type.LIST, "[]", null, null, List.of(), List.of(envName(key)));
    }

    public static Setting map(String key) {
        return new Setting(key, Type.MAP, "{}", null, null, List.of(), List.of(envName(key)));
    }

    /** A whole number between {@code lowest} and {@code highest} inclusive; {@code defaultValue} null: not set. */
    public static Setting integer(String key, Integer defaultValue, long lowest, long highest) {
        return new Setting(
                key,
                Type.INT,
                defaultValue == null ? null : defaultValue.toString(),
                null,
                null,
                List.of(),
                List.of(envName(key)),
                lowest,
                highest,
                "");
    }

    /** A size in bytes written with a unit ({@code 64m}). */
    public static Setting size(String key, String defaultValue) {
        return new Setting(key, Type.SIZE, defaultValue, null, null, List.of(), List.of(envName(key)));
    }

    /** A list of objects, written in a config file only (no environment variable). */
    public static Setting objects(String key) {
        return new Setting(key, Type.OBJECTS, "[]", null, null, List.of(), List.of());
    }

    /** Also read from {@code name}, which wins over the derived variable when both are set. */
    public Setting alsoFromEnvironment(String name) {
        List<String> names = new ArrayList<>(envNames);
        names.add(name);
        return new Setting(
                key,
                type,
                defaultValue,
                min,
                max,
                allowed,
                Collections.unmodifiableList(names),
                lowest,
                highest,
                description);
    }

    /** Not read from the environment (the registry server reads only its file and system properties). */
    public Setting notFromEnvironment() {
        return new Setting(key, type, defaultValue, min, max, allowed, List.of(), lowest, highest, description);
    }

    /** This setting with its one-line description, as the settings reference shows it. */
    public Setting described(String text) {
        return new Setting(key, type, defaultValue, min, max, allowed, envNames, lowest, highest, text);
    }

    /**
     * The environment variable of a key, derived mechanically as the OpenTelemetry agent's
     * {@code ConfigPropertiesUtil} does: {@code heartbeat.timeout} → {@code AUTOREG_HEARTBEAT_TIMEOUT}.
     */
    public static String envName(String key) {
        // A loop over the chars rather than toUpperCase and replace: the schema derives ~45 names when the agent
        // first reads its settings, in a cold JVM, where String.toUpperCase's call per char makes the JDK's case
        // mapping hot enough for the JIT. The keys are ASCII; any other key takes the general path.
        char[] name = new char[ENV_PREFIX.length() + key.length()];
        ENV_PREFIX.getChars(0, ENV_PREFIX.length(), name, 0);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - ('a' - 'A'));
            } else if (c == '.' || c == '-') {
                c = '_';
            } else if (c >= 0x80) {
                return ENV_PREFIX
                        + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            }
            name[ENV_PREFIX.length() + i] = c;
        }
        return new String(name);
    }

    /** Relative to {@code autoreg.}, e.g. {@code heartbeat.timeout}. */
    public String key() {
        return key;
    }

    /** The full path, e.g. {@code autoreg.heartbeat.timeout}. */
    public String path() {
        return "autoreg." + key;
    }

    public Type type() {
        return type;
    }

    /** The default as it would be written in a file ({@code 30s}, {@code per-jvm}, {@code []}), or null. */
    public String defaultValue() {
        return defaultValue;
    }

    public Duration min() {
        return min;
    }

    public Duration max() {
        return max;
    }

    /** The values a {@link Type#ONE_OF} takes. */
    public List<String> allowed() {
        return allowed;
    }

    /** The least value of an {@link Type#INT}. */
    public long lowest() {
        return lowest;
    }

    /** The greatest value of an {@link Type#INT}. */
    public long highest() {
        return highest;
    }

    /** One sentence saying what the setting does; empty when none was declared. */
    public String description() {
        return description;
    }

    /** The derived variable first, then any older alias; a later one wins. Empty: not read from the environment. */
    public List<String> envNames() {
        return envNames;
    }

    /** What a bad duration is told: {@code expected a duration such as 30s, between 3s and 120s}. */
    public String durationAllowed() {
        return durationAllowed(min, max);
    }

    /**
     * The same for any bounds. Public although only this package calls it: the agent loads {@code SettingsReader} with
     * the core's Typesafe Config reader in a class loader of its own, a package of its own at run time.
     */
    public static String durationAllowed(Duration min, Duration max) {
        return "expected a duration such as 30s, between " + format(min) + " and " + format(max);
    }

    /** {@code 250ms}, {@code 120s}, {@code 10m}, {@code 1h}, {@code 365d}: exact, seconds up to five minutes. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms >= 172_800_000) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms >= 300_000) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /**
     * A duration written as text the way both readers take it: digits, optional blanks, a unit
     * ({@code ms}, {@code s}, {@code m}, {@code h} or their long forms). A bare number is not a duration
     * ({@code timeout = 30} almost always means seconds, never milliseconds). Null when the text is
     * anything else: the core's reader then decides (it knows more forms, such as {@code 1.5s}).
     */
    public static Duration parseDuration(String text) {
        if (text == null) {
            return null;
        }
        String value = text.trim();
        int digits = 0;
        while (digits < value.length() && value.charAt(digits) >= '0' && value.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 12) {
            return null;
        }
        long amount = Long.parseLong(value.substring(0, digits));
        switch (value.substring(digits).trim()) {
            case "ms":
            case "milli":
            case "millis":
            case "millisecond":
            case "milliseconds":
                return Duration.ofMillis(amount);
            case "s":
            case "second":
            case "seconds":
                return Duration.ofSeconds(amount);
            case "m":
            case "minute":
            case "minutes":
                return Duration.ofMinutes(amount);
            case "h":
            case "hour":
            case "hours":
                return Duration.ofHours(amount);
            default:
                return null;
        }
    }

    /**
     * A list written as one string — in an agent argument, a system property, an environment variable —
     * {@code a,b} or, where commas already separate something else (agent arguments), {@code [a,b]}:
     * elements trimmed, empty ones dropped.
     */
    public static List<String> splitList(String text) {
        String value = unenclosed(text.trim(), '[', ']');
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String element = part.trim();
            if (!element.isEmpty()) {
                out.add(element);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * A map written as one string, {@code k=v,k2=v2}, also in the brackets or braces it may come in: an agent
     * argument must enclose its commas ({@code service.metadata=[team=core,tier=1]}), and HOCON's {@code {k=v}} is
     * how a map looks elsewhere (taken as they were, the brackets became part of the first key and the last value).
     * Keys and values trimmed, empty pairs dropped, insertion-ordered; null when a pair has no key before its
     * {@code =}, for the reader to refuse in its own way.
     */
    public static Map<String, String> splitPairs(String text) {
        String value = text.trim();
        value = value.startsWith("{") ? unenclosed(value, '{', '}') : unenclosed(value, '[', ']');
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    /** The text inside one pair of these delimiters around the whole of it; else the text itself. */
    static String unenclosed(String value, char open, char close) {
        if (value.length() >= 2 && value.charAt(0) == open && value.charAt(value.length() - 1) == close) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    @Override
    public String toString() {
        return path();
    }
}
