package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Block-style YAML through jackson-dataformat-yaml. Every string value is double-quoted
 * ({@code MINIMIZE_QUOTES} off), and keys that a YAML 1.1 reader (PyYAML, SnakeYAML) would take for a
 * boolean, null or number ({@code on}, {@code yes}, {@code true}, {@code null}, {@code 123}, {@code 0x1F})
 * are quoted too, so everything reads back as the string it is.
 */
final class YamlPrinter implements Printer {
    private static final YAMLMapper MAPPER = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .stringQuotingChecker(new Yaml11Quoting())
            .build());

    @Override
    public void list(List<JsonNode> rows, TableView view, PrintWriter out) {
        write(rows, out);
    }

    @Override
    public void one(JsonNode object, PrintWriter out) {
        write(object, out);
    }

    @Override
    public void followed(JsonNode row, List<String> fields, TableView view, boolean first, PrintWriter out) {
        // each followed row is one more item of a single block sequence, so the stream as a whole is YAML
        if (row != null) {
            write(List.of(row), out);
        }
        out.flush();
    }

    private static void write(Object value, PrintWriter out) {
        try {
            out.print(MAPPER.writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
