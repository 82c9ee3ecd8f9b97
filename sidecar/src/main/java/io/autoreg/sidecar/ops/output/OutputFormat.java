package io.autoreg.sidecar.ops.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import picocli.CommandLine;

/**
 * {@code -o}/{@code --output} (alias {@code --format}): a table for people (the default; {@code wide}
 * adds columns), or json, yaml, csv for scripts, which carry the API's objects unchanged.
 */
public enum OutputFormat {
    TABLE,
    WIDE,
    JSON,
    YAML,
    CSV;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Printer printer(LongSupplier clock) {
        switch (this) {
            case JSON:
                return new JsonPrinter();
            case CSV:
                return new CsvPrinter();
            case YAML:
                return new YamlPrinter();
            case WIDE:
                return new TablePrinter(true, clock);
            default:
                return new TablePrinter(false, clock);
        }
    }

    /** Case-insensitive, with an error that lists the choices in the spelling they are typed. */
    public static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat format : values()) {
                if (format.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return format;
                }
            }
            throw new CommandLine.TypeConversionException(
                    "must be one of " + String.join(", ", new Names()) + "; got '" + value + "'");
        }
    }

    /** The completion candidates (and the help's list). */
    public static final class Names extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        public Names() {
            super(labels());
        }

        private static List<String> labels() {
            return Arrays.stream(values()).map(OutputFormat::label).toList();
        }
    }
}
