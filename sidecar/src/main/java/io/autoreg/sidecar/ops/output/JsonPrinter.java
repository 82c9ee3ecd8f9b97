package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Pretty JSON: an array for lists, the object for one; followed rows as one compact object per line (JSON Lines). */
final class JsonPrinter implements Printer {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void list(List<JsonNode> rows, PrintStream out) {
        write(MAPPER.valueToTree(rows), out);
    }

    @Override
    public void one(JsonNode object, PrintStream out) {
        write(object, out);
    }

    @Override
    public void followed(JsonNode row, List<String> columns, boolean first, PrintStream out) {
        if (row != null) {
            out.println(row.toString());
            out.flush();
        }
    }

    private static void write(JsonNode node, PrintStream out) {
        try {
            out.println(MAPPER.writeValueAsString(node));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
