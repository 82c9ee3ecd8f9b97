package io.autoreg.sidecar.ops;

import io.autoreg.core.client.RegistryApiException;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.log.Log;
import io.autoreg.sidecar.cli.Command;
import io.autoreg.sidecar.cli.Options;
import io.autoreg.sidecar.cli.ParsedArgs;
import io.autoreg.sidecar.cli.UsageException;
import io.autoreg.sidecar.ops.output.OutputFormat;
import io.autoreg.sidecar.ops.output.Printer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The shape every operator command shares: parse, validate the verb before touching the network, call
 * the registry, print. Exit codes scripts rely on: 0 ok, 1 the API answered a fault (printed whole) or
 * could not be reached, 2 usage.
 */
abstract class OpsCommand implements Command {

    /** What one verb does once the command line is known to be valid. */
    interface Action {
        void run(ServiceRegistryClient client, Printer printer, PrintStream out, PrintStream err) throws IOException;
    }

    /** The command's own options on top of the connection and output options. */
    abstract Options options(Options common);

    /** The verb and its arguments as an action; throws {@link UsageException} for anything else. */
    abstract Action action(ParsedArgs args, PrintStream err);

    abstract String synopsis();

    @Override
    public String usage() {
        return String.join("\n", synopsis(),
                "output:",
                "  --format F         table (default) | json | csv | yaml",
                OpsConnection.HELP,
                "exit: 0 ok, 1 API error (the fault is printed) or registry unreachable, 2 usage");
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        ParsedArgs args = options(OpsConnection.options()).parse(argv);
        if (args.help()) {
            out.println(usage());
            return 0;
        }
        Printer printer = OutputFormat.parse(args.value("format")).printer();
        Action action = action(args, err);
        try (ServiceRegistryClient client = OpsConnection.open(args)) {
            action.run(client, printer, out, err);
            return 0;
        } catch (RegistryApiException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: registry not reachable: " + Log.describe(e));
            return 1;
        }
    }

    static String verb(ParsedArgs args, String... allowed) {
        if (args.positionals().isEmpty()) {
            throw new UsageException("missing sub-command: one of " + String.join(", ", allowed));
        }
        String verb = args.positionals().get(0);
        if (!List.of(allowed).contains(verb)) {
            throw new UsageException("unknown sub-command '" + verb + "': one of " + String.join(", ", allowed));
        }
        return verb;
    }

    /** The verb's arguments: exactly {@code count} after the verb. */
    static List<String> operands(ParsedArgs args, int count, String expected) {
        List<String> operands = args.positionals().subList(1, args.positionals().size());
        if (operands.size() != count) {
            throw new UsageException(args.positionals().get(0) + " expects " + expected);
        }
        return operands;
    }

    /** Rejects an option that belongs to another verb (e.g. {@code get --tag}). */
    static void only(ParsedArgs args, String verb, String... options) {
        for (String option : options) {
            if (args.has(option)) {
                throw new UsageException("--" + option + " does not apply to '" + verb + "'");
            }
        }
    }
}
