package io.autoreg.sidecar.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.client.model.Page;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a list resource through the list envelope (docs/api.md §1). Without {@code --limit} it pages transparently
 * (following {@code next_marker}); with {@code --limit}/{@code --marker} it reads exactly one page and
 * tells stderr the marker of the next one, so scripts can page themselves.
 */
final class Lister {
    private static final int PAGE_SIZE = 100;
    /** A bound on pages so a misbehaving server cannot keep us looping (100,000 items at the page size). */
    private static final int MAX_PAGES = 1000;

    private final Integer limit;
    private final String marker;
    private final PrintWriter err;

    /** One page of a list call of the core client. */
    interface PageSource {
        Page<?> page(String marker, Integer limit) throws IOException;
    }

    Lister(PageOptions paging, PrintWriter err) {
        this.limit = paging.limit();
        this.marker = paging.marker;
        this.err = err;
    }

    List<JsonNode> list(PageSource source) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        if (limit != null) {
            Page<?> page = source.page(marker, limit);
            rows.addAll(Trees.of(page.values()));
            if (page.hasNext()) {
                err.println("more: --marker " + page.metadata().nextMarker());
            }
            return rows;
        }
        String next = marker;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            Page<?> page = source.page(next, PAGE_SIZE);
            rows.addAll(Trees.of(page.values()));
            if (!page.hasNext() || page.metadata().nextMarker().equals(next)) {
                return rows;
            }
            next = page.metadata().nextMarker();
        }
        err.println("warning: stopped after " + MAX_PAGES + " pages");
        return rows;
    }
}
