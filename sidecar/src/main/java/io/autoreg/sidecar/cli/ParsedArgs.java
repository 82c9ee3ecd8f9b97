package io.autoreg.sidecar.cli;

import java.util.List;
import java.util.Map;

/** The result of {@link Options#parse}: option values by long name, positionals, and what followed {@code --}. */
public final class ParsedArgs {
    private final Map<String, List<String>> values;
    private final List<String> positionals;
    private final List<String> rest;
    private final boolean help;

    ParsedArgs(Map<String, List<String>> values, List<String> positionals, List<String> rest, boolean help) {
        this.values = Map.copyOf(values);
        this.positionals = List.copyOf(positionals);
        this.rest = List.copyOf(rest);
        this.help = help;
    }

    public boolean help() {
        return help;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /** The last value given for the option, or null. */
    public String value(String name) {
        List<String> list = values.get(name);
        return list == null ? null : list.get(list.size() - 1);
    }

    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** An option that must be a whole number within bounds, or null when absent. */
    public Integer intValue(String name, int min, int max) {
        String value = value(name);
        if (value == null) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a whole number " + min + ".." + max + ", got '" + value + "'");
    }

    public List<String> positionals() {
        return positionals;
    }

    /** Exactly {@code count} positionals, else a usage error naming what was expected. */
    public List<String> positionals(int count, String expected) {
        if (positionals.size() != count) {
            throw new UsageException("expected " + expected + ", got " + (positionals.isEmpty() ? "nothing" : String.join(" ", positionals)));
        }
        return positionals;
    }

    /** Everything after {@code --}. */
    public List<String> rest() {
        return rest;
    }
}
