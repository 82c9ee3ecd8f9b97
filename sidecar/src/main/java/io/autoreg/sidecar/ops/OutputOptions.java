package io.autoreg.sidecar.ops;

import io.autoreg.sidecar.ops.output.OutputFormat;
import picocli.CommandLine.Option;

/** {@code -o FORMAT} (also {@code --output}, and {@code --format}, its name before). */
final class OutputOptions {
    @Option(
            names = {"-o", "--output", "--format"},
            paramLabel = "FORMAT",
            converter = OutputFormat.Converter.class,
            completionCandidates = OutputFormat.Names.class,
            description =
                    "table (default) | wide (more columns) | json | yaml | csv; json, yaml and csv carry the API's objects as they are")
    OutputFormat format = OutputFormat.TABLE;
}
