package io.autoreg.sidecar.ops;

import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;
import io.autoreg.sidecar.cli.UsageException;

import java.io.PrintStream;

/** {@code limits}: the account's resource quotas and request rate. */
public final class LimitsCommand extends OpsCommand {

    @Override
    public String name() {
        return "limits";
    }

    @Override
    public String summary() {
        return "show the account's resource and rate limits";
    }

    @Override
    String synopsis() {
        return "usage: autoreg-sidecar limits";
    }

    @Override
    Options options(Options common) {
        return common;
    }

    @Override
    Action action(ParsedArgs args, PrintStream err) {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("limits takes no arguments");
        }
        only(args, "limits", "limit", "marker");
        return (client, printer, out, e) -> printer.one(Trees.of(client.limits()), out);
    }
}
