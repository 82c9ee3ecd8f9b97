package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180: a header row of field names, one row per object, cells quoted when they must be. */
final class CsvPrinter implements Printer {

    @Override
    public void list(List<JsonNode> rows, PrintStream out) {
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
    public void one(JsonNode object, PrintStream out) {
        list(List.of(object), out);
    }

    @Override
    public void followed(JsonNode row, List<String> columns, boolean first, PrintStream out) {
        if (first) {
            out.print(line(columns));
        }
        if (row != null) {
            out.print(row(row, columns));
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
