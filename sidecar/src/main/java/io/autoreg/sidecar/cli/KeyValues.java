package io.autoreg.sidecar.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The original tooling's list syntax: {@code a,b,c} for tags and {@code k=v,k2=v2} for metadata. */
public final class KeyValues {
    private KeyValues() {}

    public static List<String> list(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    out.add(item.trim());
                }
            }
        }
        return out;
    }

    public static Map<String, String> map(String option, List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : list(values)) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(
                        "--" + option + " expects key=value pairs separated by commas, got '" + item + "'");
            }
            out.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        return out;
    }
}
