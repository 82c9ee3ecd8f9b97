package io.autoreg.sidecar.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the command line writes them: a number with a unit ({@code 500ms}, {@code 10s},
 * {@code 2m}, {@code 1h}), the same units the HOCON settings accept. Only {@code exec --interval} also
 * takes bare seconds, for the original wrapper's sake.
 */
public final class DurationText {
    private static final Pattern WITH_UNIT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

    private DurationText() {}

    /** Null when the text is not a whole number with one of the units. */
    public static Duration parse(String text) {
        Matcher m = WITH_UNIT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofDays(amount);
        }
    }
}
