package io.autoreg.sidecar.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;
import io.autoreg.sidecar.ops.output.Printer;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code events list [--type T] [--follow]}. With {@code --follow} it prints what the feed holds, then
 * keeps one long poll open ({@code wait=}, §4 of the spec) and prints each new event as it arrives, until
 * interrupted. The marker rule: pass the last id seen, drop it from the answer.
 */
public final class EventsCommand extends OpsCommand {
    private static final int WAIT_SECONDS = 30;
    private static final List<String> COLUMNS = List.of("id", "timestamp", "type", "payload");

    @Override
    public String name() {
        return "events";
    }

    @Override
    public String summary() {
        return "list the events feed (--type T), or follow it (--follow)";
    }

    @Override
    String synopsis() {
        return String.join("\n",
                "usage: autoreg-sidecar events list [--type T] [--follow] [--limit N] [--marker ID]",
                "  --type T           service.join | service.remove | service.timeout |",
                "                     configuration_value.update | configuration_value.remove",
                "  --follow           keep printing new events as they happen (long poll), until Ctrl-C",
                Lister.HELP);
    }

    @Override
    Options options(Options common) {
        return common.value("type").flag("follow", "f");
    }

    @Override
    Duration longPoll(ParsedArgs args) {
        return args.flag("follow") ? Duration.ofSeconds(WAIT_SECONDS) : Duration.ZERO;
    }

    @Override
    Action action(ParsedArgs args, PrintStream err) {
        verb(args, "list");
        operands(args, 0, "no arguments");
        Map<String, String> filters = args.value("type") == null ? Map.of() : Map.of("type", args.value("type"));
        if (!args.flag("follow")) {
            return (api, printer, out, e) -> printer.list(new Lister(api, args, e).list("events", filters), out);
        }
        only(args, "list --follow", "limit");
        return (api, printer, out, e) -> follow(api, printer, filters, args.value("marker"), out);
    }

    private static void follow(RegistryApi api, Printer printer, Map<String, String> filters, String startMarker,
                               PrintStream out) throws IOException, ApiException {
        String last = startMarker;
        boolean first = true;
        boolean dropMarker = false;
        while (!Thread.currentThread().isInterrupted()) {
            Map<String, String> query = new LinkedHashMap<>(filters);
            query.put("marker", last);
            query.put("limit", "100");
            if (!first) {
                query.put("wait", String.valueOf(WAIT_SECONDS));
            }
            JsonNode page = api.get("events", query);
            int fresh = 0;
            for (JsonNode event : page.path("values")) {
                String id = event.path("id").asText();
                if (dropMarker && id.equals(last)) {
                    continue;
                }
                printer.followed(event, COLUMNS, first && fresh == 0, out);
                fresh++;
                last = id;
            }
            if (first && fresh == 0) {
                printer.followed(null, COLUMNS, true, out);
            }
            first = false;
            dropMarker = last != null;
            if (last == null) {
                // An empty feed gives no marker to wait on; poll gently until the first event exists.
                sleepQuietly(Duration.ofSeconds(1));
            }
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
