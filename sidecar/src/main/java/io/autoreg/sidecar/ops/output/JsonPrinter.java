package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** Pretty JSON: an array for lists, the object for one; followed rows as one compact object per line (JSON Lines). */
final class JsonPrinter implements Printer {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void list(List<JsonNode> rows, TableView view, PrintWriter out) {
        write(MAPPER.valueToTree(rows), out);
    }

    @Override
    public void one(JsonNode object, PrintWriter out) {
        write(object, out);
    }

    @Override
    public void followed(JsonNode row, List<String> fields, TableView view, boolean first, PrintWriter out) {
        if (row != null) {
            out.println(row.toString());
        }
        out.flush();
    }

    private static void write(JsonNode node, PrintWriter out) {
        try {
            out.println(MAPPER.writeValueAsString(node));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
