package io.autoreg.sidecar.ops;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.model.Event;
import io.autoreg.core.client.model.Page;
import io.autoreg.sidecar.cli.UsageException;
import io.autoreg.sidecar.ops.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code events list [--type T] [--follow]}. With {@code --follow} it prints what the feed holds, then
 * keeps one long poll open ({@code wait=}, docs/api.md §4) and prints each new event as it arrives, until
 * interrupted. The marker rule: pass the last id seen, drop it from the answer.
 */
@Command(name = "events", description = "list the events feed, or follow it", subcommands = EventsCommand.ListEvents.class)
public final class EventsCommand extends OpsGroup {
    private static final int WAIT_SECONDS = 30;
    private static final int PAGE_SIZE = 100;
    private static final List<String> FIELDS = List.of("id", "timestamp", "type", "payload");

    @Command(name = "list", aliases = "ls", description = {"the feed, oldest first (the last hour unless --marker says otherwise).",
            "Table columns: TIME, TYPE, SUBJECT, DETAIL; -o wide adds ID and TIMESTAMP. Followed: tab-separated,"
                    + " JSON Lines with -o json."})
    static final class ListEvents extends OpsVerb {
        @Option(names = "--type", paramLabel = "T", completionCandidates = Types.class,
                description = "service.join | service.remove | service.timeout | configuration_value.update | configuration_value.remove")
        String type;

        @Option(names = {"-f", "--follow"}, description = "keep printing new events as they happen (one long poll), until Ctrl-C")
        boolean follow;

        @Mixin
        PageOptions paging;

        /** The completion candidates of {@code --type}. */
        static final class Types extends ArrayList<String> {
            private static final long serialVersionUID = 1L;

            Types() {
                super(List.of("service.join", "service.remove", "service.timeout", "configuration_value.update",
                        "configuration_value.remove"));
            }
        }

        @Override
        void validate() {
            paging.limit();
            if (follow && paging.limit != null) {
                throw new UsageException("--limit does not apply to 'list --follow'");
            }
        }

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            if (!follow) {
                printer.list(new Lister(paging, err).list((marker, limit) -> client.events().list(marker, limit, type)), Views.EVENTS, out);
                return;
            }
            String last = paging.marker;
            boolean first = true;
            boolean dropMarker = false;
            while (!Thread.currentThread().isInterrupted()) {
                Page<Event> page = client.events().list(last, PAGE_SIZE, type, first ? 0 : WAIT_SECONDS);
                int fresh = 0;
                for (Event event : page.values()) {
                    if (dropMarker && event.id().equals(last)) {
                        continue;
                    }
                    printer.followed(Trees.of(event), FIELDS, Views.EVENTS, first && fresh == 0, out);
                    fresh++;
                    last = event.id();
                }
                if (first && fresh == 0) {
                    printer.followed(null, FIELDS, Views.EVENTS, true, out);
                }
                first = false;
                dropMarker = last != null;
                if (last == null) {
                    // An empty feed gives no marker to wait on; poll gently until the first event exists.
                    sleepQuietly(Duration.ofSeconds(1));
                }
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
