package io.autoreg.sidecar.ops;

import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;
import io.autoreg.sidecar.cli.UsageException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

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
            String path = "configuration/" + namespacePath(args.value("namespace"));
            return (api, printer, out, e) -> printer.list(new Lister(api, args, e).list(path, Map.of()), out);
        }
        only(args, verb, "namespace", "limit", "marker");
        if (verb.equals("set")) {
            List<String> operands = operands(args, 2, "an id and a value");
            String id = operands.get(0);
            var body = JsonNodeFactory.instance.objectNode().put("value", operands.get(1));
            return (api, printer, out, e) -> api.put(idPath(id), body);
        }
        String id = operands(args, 1, "a configuration id").get(0);
        if (verb.equals("get")) {
            return (api, printer, out, e) -> printer.one(api.get(idPath(id), Map.of()), out);
        }
        return (api, printer, out, e) -> api.delete(idPath(id));
    }

    private static String idPath(String id) {
        return "configuration/" + (id.startsWith("/") ? id.substring(1) : id);
    }

    /** {@code production/cassandra} or {@code /production/cassandra/} → {@code production/cassandra/}. */
    private static String namespacePath(String namespace) {
        if (namespace == null) {
            return "";
        }
        String trimmed = namespace.replaceAll("^/+", "").replaceAll("/+$", "");
        if (trimmed.isEmpty()) {
            throw new UsageException("--namespace needs at least one segment, e.g. /production/");
        }
        return trimmed + "/";
    }
}
