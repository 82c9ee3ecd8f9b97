package io.autoreg.sidecar.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options a command accepts: long names, which of them take a value, and one-letter aliases.
 * Parses {@code --name=value}, {@code --name value}, {@code -n value}, {@code -n=value}, boolean flags,
 * positionals anywhere, and everything after {@code --} verbatim (the command {@code exec} wraps).
 * {@code --help}/{@code -h} is always known.
 */
public final class Options {
    private final Map<String, Boolean> takesValue = new LinkedHashMap<>();
    private final Map<String, String> aliases = new HashMap<>();
    private boolean stopAtFirstPositional;

    /**
     * The first positional ends the options and starts {@link ParsedArgs#rest()}, as in
     * {@code exec --id=x CMD --its-own-flag}: the wrapped command's arguments are never ours.
     */
    public Options stopAtFirstPositional() {
        stopAtFirstPositional = true;
        return this;
    }

    /** An option with a value; may be given several times ({@link ParsedArgs#values}). */
    public Options value(String name, String... shortAliases) {
        return add(name, true, shortAliases);
    }

    /** A boolean flag without a value. */
    public Options flag(String name, String... shortAliases) {
        return add(name, false, shortAliases);
    }

    private Options add(String name, boolean value, String... shortAliases) {
        takesValue.put(name, value);
        for (String alias : shortAliases) {
            aliases.put(alias, name);
        }
        return this;
    }

    public ParsedArgs parse(List<String> argv) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                rest.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("-") || arg.equals("-") || isNegativeNumber(arg)) {
                if (stopAtFirstPositional) {
                    rest.addAll(argv.subList(i, argv.size()));
                    break;
                }
                positionals.add(arg);
                continue;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String inline = eq < 0 ? null : body.substring(eq + 1);
            if (!arg.startsWith("--")) {
                String longName = aliases.get(name);
                if (longName == null) {
                    throw new UsageException("unknown option '" + arg + "'");
                }
                name = longName;
            }
            Boolean needsValue = takesValue.get(name);
            if (needsValue == null) {
                throw new UsageException("unknown option '--" + name + "'");
            }
            if (!needsValue) {
                if (inline != null) {
                    throw new UsageException("option '--" + name + "' takes no value");
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                continue;
            }
            if (inline == null) {
                if (i + 1 >= argv.size()) {
                    throw new UsageException("option '--" + name + "' needs a value");
                }
                inline = argv.get(++i);
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(inline);
        }
        return new ParsedArgs(values, positionals, rest, help);
    }

    private static boolean isNegativeNumber(String arg) {
        return arg.length() > 1 && arg.charAt(0) == '-' && arg.substring(1).chars().allMatch(Character::isDigit);
    }
}
