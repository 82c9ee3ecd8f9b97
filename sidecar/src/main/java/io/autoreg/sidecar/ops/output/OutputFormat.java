package io.autoreg.sidecar.ops.output;

import io.autoreg.sidecar.cli.UsageException;

import java.util.Locale;

/** {@code --format}: an aligned table for people (the default), or json, csv, yaml for scripts. */
public enum OutputFormat {
    TABLE, JSON, CSV, YAML;

    public static OutputFormat parse(String value) {
        if (value == null) {
            return TABLE;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format must be one of table, json, csv, yaml; got '" + value + "'");
        }
    }

    public Printer printer() {
        switch (this) {
            case JSON:
                return new JsonPrinter();
            case CSV:
                return new CsvPrinter();
            case YAML:
                return new YamlPrinter();
            default:
                return new TablePrinter();
        }
    }
}
