package io.autoreg.sidecar.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoreg.core.client.RegistryApiException;
import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.core.internal.backend.serviceregistry.RegistryClients;
import io.autoreg.core.internal.log.Log;
import io.autoreg.core.internal.settings.AutoregSettings;
import io.autoreg.sidecar.cli.ExitCodes;
import io.autoreg.sidecar.cli.RegistryOptions;
import io.autoreg.sidecar.cli.UsageException;
import io.autoreg.sidecar.ops.output.Printer;
import io.autoreg.sidecar.ops.output.TableView;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The shape every operator verb shares: validate the command line before touching the network, call the
 * registry through the core client (made from the settings by {@link RegistryClients}), print. Exit codes: 0 ok, 1 the API answered a fault (printed whole),
 * 2 usage or a bad setting, 3 the registry could not be reached.
 */
abstract class OpsVerb implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RegistryOptions registry;

    @Mixin
    OutputOptions output;

    /** Throws {@link io.autoreg.sidecar.cli.UsageException} for anything the registry need not be asked about. */
    void validate() {}

    abstract void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err)
            throws IOException;

    /**
     * Prints a list. A table of no rows prints nothing on stdout (no header either: {@code | wc -l} counts 0), so
     * {@code none} ("no services") goes to stderr, where a person sees it and a script reading stdout does not.
     */
    static void printList(
            Printer printer, List<JsonNode> rows, TableView view, String none, PrintWriter out, PrintWriter err) {
        printer.list(rows, view, out);
        if (rows.isEmpty() && printer.printsNothingForNoRows()) {
            err.println(none);
        }
    }

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Printer printer = output.format.printer(System::currentTimeMillis);
        AutoregSettings settings = registry.load(none -> {}, null, List.of());
        String otherRegistry = OtherRegistries.refusal(settings.registry());
        if (otherRegistry != null) {
            throw new UsageException(otherRegistry);
        }
        try (ServiceRegistryClient client = RegistryClients.of(settings.registry())) {
            run(client, printer, out, err);
            return ExitCodes.OK;
        } catch (RegistryApiException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.API_FAULT;
        } catch (IOException e) {
            err.println(
                    "error: registry not reachable at " + settings.registry().url() + ": " + Log.describe(e));
            return ExitCodes.UNREACHABLE;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
