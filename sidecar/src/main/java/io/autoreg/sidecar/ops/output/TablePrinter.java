package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Space-aligned columns with an upper-case header; one object prints as FIELD/VALUE rows. */
final class TablePrinter implements Printer {

    @Override
    public void list(List<JsonNode> rows, PrintStream out) {
        if (rows.isEmpty()) {
            // no rows, no columns to name: nothing on stdout, so `| wc -l` counts 0
            out.flush();
            return;
        }
        List<String> columns = Cells.columns(rows);
        List<List<String>> lines = new ArrayList<>();
        lines.add(header(columns));
        for (JsonNode row : rows) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                cells.add(Cells.text(row.get(column)));
            }
            lines.add(cells);
        }
        print(lines, out);
    }

    @Override
    public void one(JsonNode object, PrintStream out) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(List.of("FIELD", "VALUE"));
        for (Map.Entry<String, String> entry : Cells.flatten(object).entrySet()) {
            lines.add(List.of(entry.getKey(), entry.getValue()));
        }
        print(lines, out);
    }

    @Override
    public void followed(JsonNode row, List<String> columns, boolean first, PrintStream out) {
        // Rows arrive one by one, so columns cannot be aligned to the widest value: tab-separated instead.
        if (first) {
            out.println(String.join("\t", header(columns)));
        }
        if (row == null) {
            out.flush();
            return;
        }
        List<String> cells = new ArrayList<>();
        for (String column : columns) {
            cells.add(Cells.text(row.get(column)));
        }
        out.println(String.join("\t", cells));
        out.flush();
    }

    private static List<String> header(List<String> columns) {
        List<String> header = new ArrayList<>();
        for (String column : columns) {
            header.add(column.toUpperCase(Locale.ROOT));
        }
        return header;
    }

    private static void print(List<List<String>> lines, PrintStream out) {
        int[] widths = new int[lines.get(0).size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                text.append(cell);
                if (i < line.size() - 1) {
                    text.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.println(text.toString().stripTrailing());
        }
        out.flush();
    }
}
