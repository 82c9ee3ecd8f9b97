package io.autoreg.sidecar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code man}: the manual page, in roff, made from the same model as {@code --help}. */
@Command(
        name = "man",
        description = {
            "print the manual page (roff) of every command",
            "autoreg-sidecar man > autoreg-sidecar.1 && man ./autoreg-sidecar.1"
        })
public final class ManCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ManPage.of(spec.root(), ManifestVersion.version()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
