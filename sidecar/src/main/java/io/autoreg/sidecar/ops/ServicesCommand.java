package io.autoreg.sidecar.ops;

import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;

import java.io.PrintStream;

/** {@code services list [--tag T] | get ID}. */
public final class ServicesCommand extends OpsCommand {

    @Override
    public String name() {
        return "services";
    }

    @Override
    public String summary() {
        return "list the registry's services (--tag T) or get one";
    }

    @Override
    String synopsis() {
        return String.join("\n", "usage: autoreg-sidecar services list [--tag T] [--limit N] [--marker ID]",
                "       autoreg-sidecar services get ID", Lister.HELP);
    }

    @Override
    Options options(Options common) {
        return common.value("tag");
    }

    @Override
    Action action(ParsedArgs args, PrintStream err) {
        if (verb(args, "list", "get").equals("list")) {
            operands(args, 0, "no arguments");
            String tag = args.value("tag");
            return (client, printer, out, e) -> printer.list(new Lister(args, e)
                    .list((marker, limit) -> client.services().list(tag, marker, limit)), out);
        }
        only(args, "get", "tag", "limit", "marker");
        String id = operands(args, 1, "a service id").get(0);
        return (client, printer, out, e) -> printer.one(Trees.of(client.services().get(id)), out);
    }
}
