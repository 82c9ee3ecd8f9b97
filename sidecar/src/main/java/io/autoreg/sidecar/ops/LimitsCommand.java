package io.autoreg.sidecar.ops;

import io.autoreg.core.client.ServiceRegistryClient;
import io.autoreg.sidecar.ops.output.Printer;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code limits}: the account's resource quotas and request rate. */
@Command(name = "limits", description = "show the account's resource and rate limits")
public final class LimitsCommand extends OpsVerb {

    @Override
    void run(ServiceRegistryClient client, Printer printer, PrintWriter out, PrintWriter err) throws IOException {
        printer.one(Trees.of(client.limits()), out);
    }
}
