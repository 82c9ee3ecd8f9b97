package io.autoreg.sidecar.ops;

import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;

import java.io.PrintStream;

/** {@code sessions list | get ID} (the session generation of the API). */
public final class SessionsCommand extends OpsCommand {

    @Override
    public String name() {
        return "sessions";
    }

    @Override
    public String summary() {
        return "list the registry's sessions or get one";
    }

    @Override
    String synopsis() {
        return String.join("\n", "usage: autoreg-sidecar sessions list [--limit N] [--marker ID]",
                "       autoreg-sidecar sessions get ID", Lister.HELP);
    }

    @Override
    Options options(Options common) {
        return common;
    }

    @Override
    Action action(ParsedArgs args, PrintStream err) {
        if (verb(args, "list", "get").equals("list")) {
            operands(args, 0, "no arguments");
            return (client, printer, out, e) -> printer.list(new Lister(args, e)
                    .list((marker, limit) -> client.sessions().list(marker, limit)), out);
        }
        only(args, "get", "limit", "marker");
        String id = operands(args, 1, "a session id").get(0);
        return (client, printer, out, e) -> printer.one(Trees.of(client.sessions().get(id)), out);
    }
}
