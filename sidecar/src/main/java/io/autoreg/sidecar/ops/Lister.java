package io.autoreg.sidecar.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.sidecar.cli.ParsedArgs;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a list resource through the spec's envelope. Without {@code --limit} it pages transparently
 * (following {@code next_marker}); with {@code --limit}/{@code --marker} it reads exactly one page and
 * tells stderr the marker of the next one, so scripts can page themselves.
 */
final class Lister {
    static final String HELP = "  --limit N          one page of N (1..1000) instead of every page; --marker ID starts it at ID";
    private static final int PAGE_SIZE = 100;
    /** A bound on pages so a misbehaving server cannot keep us looping (100,000 items at the page size). */
    private static final int MAX_PAGES = 1000;

    private final RegistryApi api;
    private final Integer limit;
    private final String marker;
    private final PrintStream err;

    Lister(RegistryApi api, ParsedArgs args, PrintStream err) {
        this.api = api;
        this.limit = args.intValue("limit", 1, 1000);
        this.marker = args.value("marker");
        this.err = err;
    }

    List<JsonNode> list(String path, Map<String, String> filters) throws IOException, ApiException {
        Map<String, String> query = new LinkedHashMap<>(filters);
        List<JsonNode> rows = new ArrayList<>();
        if (limit != null) {
            query.put("limit", String.valueOf(limit));
            query.put("marker", marker);
            JsonNode page = api.get(path, query);
            page.path("values").forEach(rows::add);
            JsonNode next = page.path("metadata").path("next_marker");
            if (!next.isMissingNode() && !next.isNull()) {
                err.println("more: --marker " + next.asText());
            }
            return rows;
        }
        String next = marker;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            query.put("limit", String.valueOf(PAGE_SIZE));
            query.put("marker", next);
            JsonNode page = api.get(path, query);
            page.path("values").forEach(rows::add);
            JsonNode nextMarker = page.path("metadata").path("next_marker");
            if (nextMarker.isMissingNode() || nextMarker.isNull() || nextMarker.asText().equals(next)) {
                return rows;
            }
            next = nextMarker.asText();
        }
        err.println("warning: stopped after " + MAX_PAGES + " pages");
        return rows;
    }
}
