package io.autoreg.sidecar.ops;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.sidecar.ops.output.Printer;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sessions list | get ID} (the session generation of the API). */
@Command(
        name = "sessions",
        description = "list the registry's sessions or show one",
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.GetSession.class})
public final class SessionsCommand extends OpsGroup {

    @Command(name = "list", aliases = "ls", description = "every session (all pages), or one page with --limit")
    static final class ListSessions extends OpsVerb {
        @Mixin
        PageOptions paging;

        @Override
        void validate() {
            paging.limit();
        }

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            printList(
                    printer,
                    new Lister(paging, err)
                            .list((marker, limit) -> client.sessions().list(marker, limit)),
                    Views.SESSIONS,
                    "no sessions",
                    out,
                    err);
        }
    }

    @Command(name = "get", aliases = "show", description = "one session, every field")
    static final class GetSession extends OpsVerb {
        @Parameters(paramLabel = "ID", description = "the session id")
        String id;

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            printer.one(Trees.of(client.sessions().get(id)), out);
        }
    }
}
