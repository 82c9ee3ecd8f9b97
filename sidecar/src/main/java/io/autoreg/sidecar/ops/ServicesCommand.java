package io.autoreg.sidecar.ops;

import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;

import java.io.PrintStream;
import java.util.Map;

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
            Map<String, String> filters = args.value("tag") == null ? Map.of() : Map.of("tag", args.value("tag"));
            return (api, printer, out, e) -> printer.list(new Lister(api, args, e).list("services", filters), out);
        }
        only(args, "get", "tag", "limit", "marker");
        String id = operands(args, 1, "a service id").get(0);
        return (api, printer, out, e) -> printer.one(api.get("services/" + id, Map.of()), out);
    }
}
