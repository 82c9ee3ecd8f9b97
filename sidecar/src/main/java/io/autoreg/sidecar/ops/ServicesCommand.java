package io.autoreg.sidecar.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.client.model.Service;
import io.autoreg.core.client.model.ServiceUpdate;
import io.autoreg.sidecar.cli.UsageException;
import io.autoreg.sidecar.ops.output.Printer;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code services list [--name N] [--tag T] | get ID | delete ID | maint ID on|off}. */
@Command(
        name = "services",
        description = "list, show, delete or put in maintenance the registry's services",
        subcommands = {
            ServicesCommand.ListServices.class,
            ServicesCommand.GetService.class,
            ServicesCommand.DeleteService.class,
            ServicesCommand.Maintenance.class
        })
public final class ServicesCommand extends OpsGroup {

    @Command(
            name = "list",
            aliases = "ls",
            description = {
                "every service (all pages), or one page with --limit.",
                "Table columns: ID, NAME, ADDRESS:PORT, STATUS (passing | late | new | maint), LAST SEEN, TAGS;"
                        + " -o wide adds TIMEOUT, EXPIRES, METADATA."
            })
    static final class ListServices extends OpsVerb {
        @Option(names = "--tag", paramLabel = "T", description = "only services with tag T (filtered by the registry)")
        String tag;

        @Option(
                names = "--name",
                paramLabel = "N",
                description = "only services named N (metadata service_name; with --limit, filtered within the page)")
        String name;

        @Mixin
        PageOptions paging;

        @Override
        void validate() {
            paging.limit();
        }

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            List<JsonNode> services = new Lister(paging, err)
                    .list((marker, limit) -> client.services().list(tag, marker, limit));
            if (name != null) {
                List<JsonNode> named = new ArrayList<>();
                for (JsonNode service : services) {
                    if (name.equals(
                            service.path("metadata").path(Views.NAME_KEY).asText(null))) {
                        named.add(service);
                    }
                }
                services = named;
            }
            printList(
                    printer,
                    services,
                    Views.SERVICES,
                    tag == null && name == null ? "no services" : "no services match",
                    out,
                    err);
        }
    }

    @Command(name = "get", aliases = "show", description = "one service, every field")
    static final class GetService extends OpsVerb {
        @Parameters(paramLabel = "ID", description = "the service id")
        String id;

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            printer.one(Trees.of(client.services().get(id)), out);
        }
    }

    @Command(
            name = "delete",
            aliases = {"remove", "rm"},
            description =
                    "deregister a service now (a service.remove event); prints nothing. Its owner registers it again on its next heartbeat.")
    static final class DeleteService extends OpsVerb {
        @Parameters(paramLabel = "ID", description = "the service id")
        String id;

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            client.services().delete(id);
        }
    }

    @Command(
            name = "maint",
            aliases = "maintenance",
            description = {
                "mark a service as in maintenance (on) or clear the mark (off), then print it.",
                "The Service Registry API has no out-of-service state, so the mark is metadata key 'maintenance'"
                        + " (the reason, or when it was set): the registry keeps listing the service and serving it to"
                        + " clients; this CLI shows STATUS maint, and consumers that should skip it must check the key.",
                "The mark lasts until cleared or until the service is registered anew."
            })
    static final class Maintenance extends OpsVerb {
        @Parameters(index = "0", paramLabel = "ID", description = "the service id")
        String id;

        @Parameters(index = "1", paramLabel = "on|off", completionCandidates = OnOff.class, description = "on | off")
        String state;

        @Option(
                names = "--reason",
                paramLabel = "TEXT",
                description = "why (stored as the mark's value, 1..255 characters)")
        String reason;

        /** The completion candidates of the state. */
        static final class OnOff extends ArrayList<String> {
            private static final long serialVersionUID = 1L;

            OnOff() {
                super(List.of("on", "off"));
            }
        }

        @Override
        void validate() {
            if (!state.equals("on") && !state.equals("off")) {
                throw new UsageException("maint expects on or off after the id, got '" + state + "'");
            }
            if (reason != null && (reason.isEmpty() || reason.length() > 255 || state.equals("off"))) {
                throw new UsageException(
                        state.equals("off") ? "--reason goes with on" : "--reason must be 1..255 characters");
            }
        }

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            Service service = client.services().get(id);
            Map<String, String> metadata =
                    new LinkedHashMap<>(service.metadata() == null ? Map.of() : service.metadata());
            boolean changed;
            if (state.equals("on")) {
                String mark = reason != null ? reason : "since " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
                changed = !metadata.containsKey(Views.MAINTENANCE_KEY) || reason != null;
                metadata.put(Views.MAINTENANCE_KEY, changed ? mark : metadata.get(Views.MAINTENANCE_KEY));
            } else {
                changed = metadata.remove(Views.MAINTENANCE_KEY) != null;
            }
            // a PUT replaces the whole metadata map: the other keys go back as they were read
            if (changed) {
                client.services().update(id, new ServiceUpdate(null, metadata, null));
            }
            printer.one(Trees.of(client.services().get(id)), out);
        }
    }
}
