package io.autoreg.sidecar.ops.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How a JSON value becomes one table or CSV cell, and which columns a list of objects has. */
public final class Cells {
    private Cells() {}

    /** The union of the rows' field names, in order of first appearance. */
    static List<String> columns(List<JsonNode> rows) {
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode row : rows) {
            row.fieldNames().forEachRemaining(columns::add);
        }
        return new ArrayList<>(columns);
    }

    /** Scalars as text, null as empty, lists of scalars as {@code a,b}, flat objects as {@code k=v,k2=v2}, else compact JSON. */
    public static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray() && allScalars(value.elements())) {
            List<String> items = new ArrayList<>();
            value.elements().forEachRemaining(item -> items.add(item.asText()));
            return String.join(",", items);
        }
        if (value.isObject() && allScalars(value.elements())) {
            List<String> pairs = new ArrayList<>();
            value.fields().forEachRemaining(field -> pairs.add(field.getKey() + "=" + text(field.getValue())));
            return String.join(",", pairs);
        }
        return value.toString();
    }

    private static boolean allScalars(Iterator<JsonNode> elements) {
        while (elements.hasNext()) {
            if (elements.next().isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    /**
     * One table line per cell: control characters (newline, tab, escape, ...) become visible escapes
     * ({@code \n}, {@code \t}, {@code \u001b}), so a value can neither break a row nor move the cursor.
     */
    public static String oneLine(String cell) {
        StringBuilder out = null;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(cell.length() + 8).append(cell, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\t') {
                    out.append("\\t");
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return out == null ? cell : out.toString();
    }

    /** A nested object as dotted keys ({@code resource.service}), so one object reads as FIELD/VALUE rows. */
    static Map<String, JsonNode> flatten(JsonNode object) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        flatten("", object, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        if (node.isObject() && node.size() > 0 && !(prefix.endsWith("metadata") && allScalars(node.elements()))) {
            node.fields()
                    .forEachRemaining(field -> flatten(
                            prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), out));
        } else {
            out.put(prefix, node);
        }
    }
}
