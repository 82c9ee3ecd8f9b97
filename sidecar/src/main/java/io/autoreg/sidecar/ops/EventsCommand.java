package io.autoreg.sidecar.ops;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.model.Event;
import io.autoreg.core.client.model.Page;
import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;
import io.autoreg.sidecar.ops.output.Printer;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code events list [--type T] [--follow]}. With {@code --follow} it prints what the feed holds, then
 * keeps one long poll open ({@code wait=}, §4 of the spec) and prints each new event as it arrives, until
 * interrupted. The marker rule: pass the last id seen, drop it from the answer.
 */
public final class EventsCommand extends OpsCommand {
    private static final int WAIT_SECONDS = 30;
    private static final int PAGE_SIZE = 100;
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
    Action action(ParsedArgs args, PrintStream err) {
        verb(args, "list");
        operands(args, 0, "no arguments");
        String type = args.value("type");
        if (!args.flag("follow")) {
            return (client, printer, out, e) -> printer.list(new Lister(args, e)
                    .list((marker, limit) -> client.events().list(marker, limit, type)), out);
        }
        only(args, "list --follow", "limit");
        return (client, printer, out, e) -> follow(client, printer, type, args.value("marker"), out);
    }

    private static void follow(ServiceRegistryClient client, Printer printer, String type, String startMarker,
                               PrintStream out) throws IOException {
        String last = startMarker;
        boolean first = true;
        boolean dropMarker = false;
        while (!Thread.currentThread().isInterrupted()) {
            Page<Event> page = client.events().list(last, PAGE_SIZE, type, first ? 0 : WAIT_SECONDS);
            int fresh = 0;
            for (Event event : page.values()) {
                if (dropMarker && event.id().equals(last)) {
                    continue;
                }
                printer.followed(Trees.of(event), COLUMNS, first && fresh == 0, out);
                fresh++;
                last = event.id();
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
