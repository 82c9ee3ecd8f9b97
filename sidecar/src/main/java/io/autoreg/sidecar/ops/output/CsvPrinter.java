package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 over the API's fields: a header row of field names, one row per object, cells quoted when they must be. */
final class CsvPrinter implements Printer {

    @Override
    public void list(List<JsonNode> rows, TableView view, PrintWriter out) {
        if (rows.isEmpty()) {
            out.flush();
            return;
        }
        List<String> columns = Cells.columns(rows);
        out.print(line(columns));
        for (JsonNode row : rows) {
            out.print(row(row, columns));
        }
        out.flush();
    }

    @Override
    public void one(JsonNode object, PrintWriter out) {
        list(List.of(object), null, out);
    }

    @Override
    public void followed(JsonNode row, List<String> fields, TableView view, boolean first, PrintWriter out) {
        if (first) {
            out.print(line(fields));
        }
        if (row != null) {
            out.print(row(row, fields));
        }
        out.flush();
    }

    private static String row(JsonNode row, List<String> columns) {
        List<String> cells = new ArrayList<>();
        for (String column : columns) {
            cells.add(Cells.text(row.get(column)));
        }
        return line(cells);
    }

    private static String line(List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String cell : cells) {
            boolean mustQuote = cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r");
            quoted.add(mustQuote ? '"' + cell.replace("\"", "\"\"") + '"' : cell);
        }
        return String.join(",", quoted) + "\r\n";
    }
}
