package io.autoreg.sidecar.ops;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.sidecar.cli.UsageException;
import io.autoreg.sidecar.ops.output.Printer;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code configuration list [--namespace NS] | get ID | set ID VALUE | remove ID}. Ids are plain keys
 * ({@code cassandra_listen_ip}) or namespaced ({@code /production/cassandra/listen_ip}); a namespace
 * lists recursively. {@code set} and {@code remove} print nothing on success.
 */
@Command(
        name = "configuration",
        aliases = "config",
        description = "list, get, set or remove configuration values",
        subcommands = {
            ConfigurationCommand.ListValues.class,
            ConfigurationCommand.GetValue.class,
            ConfigurationCommand.SetValue.class,
            ConfigurationCommand.RemoveValue.class
        })
public final class ConfigurationCommand extends OpsGroup {

    @Command(name = "list", aliases = "ls", description = "every value (all pages), or one page with --limit")
    static final class ListValues extends OpsVerb {
        @Option(
                names = "--namespace",
                paramLabel = "/NS/",
                description = "only the values under this namespace, recursively")
        String namespace;

        @Mixin
        PageOptions paging;

        @Override
        void validate() {
            paging.limit();
            namespace(namespace);
        }

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            String ns = namespace(namespace);
            printList(
                    printer,
                    new Lister(paging, err)
                            .list((marker, limit) -> ns == null
                                    ? client.configuration().list(marker, limit)
                                    : client.configuration().listNamespace(ns, marker, limit)),
                    Views.CONFIGURATION,
                    ns == null ? "no configuration values" : "no configuration values under " + ns + "/",
                    out,
                    err);
        }
    }

    @Command(name = "get", aliases = "show", description = "one value")
    static final class GetValue extends OpsVerb {
        @Parameters(
                paramLabel = "ID",
                description = "a key, or a namespaced key such as /production/cassandra/listen_ip")
        String id;

        @Override
        void validate() {
            ConfigurationIdRule.checkId(id);
        }

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            printer.one(Trees.of(client.configuration().get(id)), out);
        }
    }

    @Command(name = "set", description = "create or overwrite a value; prints nothing")
    static final class SetValue extends OpsVerb {
        @Parameters(index = "0", paramLabel = "ID", description = "the key")
        String id;

        @Parameters(index = "1", paramLabel = "VALUE", description = "1..1024 characters")
        String value;

        @Override
        void validate() {
            ConfigurationIdRule.checkId(id);
            ConfigurationIdRule.checkValue(value);
        }

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            client.configuration().set(id, value);
        }
    }

    @Command(
            name = "remove",
            aliases = {"delete", "rm"},
            description = "remove a value; prints nothing")
    static final class RemoveValue extends OpsVerb {
        @Parameters(paramLabel = "ID", description = "the key")
        String id;

        @Override
        void validate() {
            ConfigurationIdRule.checkId(id);
        }

        @Override
        void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
            client.configuration().delete(id);
        }
    }

    /** {@code production/cassandra} or {@code /production/cassandra/} → {@code /production/cassandra}; null for none. */
    static String namespace(String namespace) {
        if (namespace == null) {
            return null;
        }
        String trimmed = namespace.replaceAll("^/+", "").replaceAll("/+$", "");
        if (trimmed.isEmpty()) {
            throw new UsageException("--namespace needs at least one segment, e.g. /production/");
        }
        ConfigurationIdRule.checkNamespace("/" + trimmed);
        return "/" + trimmed;
    }
}
