package io.autoreg.sidecar.ops;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.WatchOptions;
import io.autoreg.sidecar.cli.UsageException;
import io.autoreg.sidecar.ops.output.Printer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code events list [--type T] [--follow [--after ID]]}. With {@code --follow} it prints what the feed holds,
 * then each new event as it arrives, until Ctrl-C: the core's events watcher ({@link EventsFollow}) keeps
 * one long poll open ({@code wait=}, docs/api.md §4) with the marker rule, reconnects and gap detection.
 */
@Command(
        name = "events",
        description = "list the events feed, or follow it",
        subcommands = EventsCommand.ListEvents.class)
public final class EventsCommand extends OpsGroup {
    private static final int WAIT_SECONDS = 30;
    private static final List<String> FIELDS = List.of("id", "timestamp", "type", "payload");

    @Command(
            name = "list",
            aliases = "ls",
            description = {
                "the feed, oldest first (the last hour unless --marker says otherwise).",
                "Table columns: TIME, TYPE, SUBJECT, DETAIL; -o wide adds ID and TIMESTAMP. Followed: tab-separated,"
                        + " JSON Lines with -o json."
            })
    static final class ListEvents extends OpsVerb {
        @Option(
                names = "--type",
                paramLabel = "T",
                completionCandidates = Types.class,
                description =
                        "service.join | service.remove | service.timeout | configuration_value.update | configuration_value.remove")
        String type;

        @Option(
                names = {"-f", "--follow"},
                description = "keep printing new events as they happen (one long poll), until Ctrl-C")
        boolean follow;

        @Option(
                names = "--after",
                paramLabel = "ID",
                description =
                        "with --follow: start after event ID (not printed again)," + " as a stopped follow suggests")
        String after;

        @Mixin
        PageOptions paging;

        /** The completion candidates of {@code --type}. */
        static final class Types extends ArrayList<String> {
            private static final long serialVersionUID = 1L;

            Types() {
                super(List.of(
                        "service.join",
                        "service.remove",
                        "service.timeout",
                        "configuration_value.update",
                        "configuration_value.remove"));
            }
        }

        @Override
        void validate() {
            paging.limit();
            if (follow && paging.limit != null) {
                throw new UsageException("--limit does not apply to 'list --follow'");
            }
            if (after != null && !follow) {
                throw new UsageException("--after applies to 'list --follow' only; a listing starts at --marker");
            }
            if (after != null && paging.marker != null) {
                throw new UsageException("--after and --marker both say where to start: give one");
            }
        }

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            if (!follow) {
                printList(
                        printer,
                        new Lister(paging, err)
                                .list((marker, limit) -> client.events().list(marker, limit, type)),
                        Views.EVENTS,
                        "no events" + (type == null ? "" : " of type " + type),
                        out,
                        err);
                return;
            }
            // --marker is inclusive, as in the listing; --after is what a stopped follow prints to go on from
            WatchOptions options = after != null
                    ? WatchOptions.after(after)
                    : paging.marker != null ? WatchOptions.at(paging.marker) : WatchOptions.lastHour();
            EventsFollow.run(
                    client, options.type(type).waitSeconds(WAIT_SECONDS), printer, FIELDS, Views.EVENTS, out, err);
        }
    }
}
