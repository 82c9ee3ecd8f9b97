package io.autoreg.sidecar.ops;

import io.autoreg.sidecar.cli.UsageException;
import picocli.CommandLine.Option;

/** {@code --limit N [--marker ID]}: one page instead of every page. */
final class PageOptions {
    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "one page of N (1..1000) instead of every page; the next marker goes to stderr")
    Integer limit;

    @Option(names = "--marker", paramLabel = "ID", description = "start the list at ID (inclusive)")
    String marker;

    Integer limit() {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new UsageException("--limit must be 1..1000, got " + limit);
        }
        return limit;
    }
}
