package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Quotes what YAML 1.1 resolves to something other than a string. Jackson's default checker knows the
 * YAML 1.2 core schema and part of 1.1; PyYAML and SnakeYAML implement all of 1.1's implicit types,
 * including {@code y}/{@code n}, sexagesimal numbers ({@code 1:20}), {@code .inf}, {@code ~}, binary and
 * octal forms, and timestamps — so anything that looks like one of those is quoted.
 */
final class Yaml11Quoting extends StringQuotingChecker {
    private static final long serialVersionUID = 1L;
    private static final Set<String> WORDS =
            Set.of("y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "");
    /** Number-ish or timestamp-ish starts: a sign, digit, dot, or the YAML 1.1 forms; quoting a few extra strings is harmless. */
    private static final Pattern NUMBER_OR_TIME =
            Pattern.compile("[-+]?(\\.|[0-9]).*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private final StringQuotingChecker base = new StringQuotingChecker.Default();

    @Override
    public boolean needToQuoteName(String name) {
        return needsQuotes(name) || base.needToQuoteName(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
        return needsQuotes(value) || base.needToQuoteValue(value);
    }

    private static boolean needsQuotes(String text) {
        return WORDS.contains(text.toLowerCase(Locale.ROOT))
                || NUMBER_OR_TIME.matcher(text).matches();
    }
}
