package io.autoreg.sidecar.ops;

import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;
import io.autoreg.sidecar.cli.UsageException;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code configuration list [--namespace NS] | get ID | set ID VALUE | remove ID}. Ids are plain keys
 * ({@code cassandra_listen_ip}) or namespaced ({@code /production/cassandra/listen_ip}); a namespace
 * lists recursively. {@code set} and {@code remove} print nothing on success.
 */
public final class ConfigurationCommand extends OpsCommand {

    @Override
    public String name() {
        return "configuration";
    }

    @Override
    public String summary() {
        return "list (--namespace NS), get, set or remove configuration values";
    }

    @Override
    String synopsis() {
        return String.join("\n",
                "usage: autoreg-sidecar configuration list [--namespace /NS/] [--limit N] [--marker ID]",
                "       autoreg-sidecar configuration get ID",
                "       autoreg-sidecar configuration set ID VALUE",
                "       autoreg-sidecar configuration remove ID", Lister.HELP);
    }

    @Override
    Options options(Options common) {
        return common.value("namespace");
    }

    @Override
    Action action(ParsedArgs args, PrintStream err) {
        String verb = verb(args, "list", "get", "set", "remove");
        if (verb.equals("list")) {
            operands(args, 0, "no arguments");
            String namespace = namespace(args.value("namespace"));
            return (client, printer, out, e) -> printer.list(new Lister(args, e).list((marker, limit) -> namespace == null
                    ? client.configuration().list(marker, limit)
                    : client.configuration().listNamespace(namespace, marker, limit)), out);
        }
        only(args, verb, "namespace", "limit", "marker");
        if (verb.equals("set")) {
            List<String> operands = operands(args, 2, "an id and a value");
            return (client, printer, out, e) -> client.configuration().set(operands.get(0), operands.get(1));
        }
        String id = operands(args, 1, "a configuration id").get(0);
        if (verb.equals("get")) {
            return (client, printer, out, e) -> printer.one(Trees.of(client.configuration().get(id)), out);
        }
        return (client, printer, out, e) -> client.configuration().delete(id);
    }

    /** {@code production/cassandra} or {@code /production/cassandra/} → {@code /production/cassandra}; null for none. */
    private static String namespace(String namespace) {
        if (namespace == null) {
            return null;
        }
        String trimmed = namespace.replaceAll("^/+", "").replaceAll("/+$", "");
        if (trimmed.isEmpty()) {
            throw new UsageException("--namespace needs at least one segment, e.g. /production/");
        }
        return "/" + trimmed;
    }
}
