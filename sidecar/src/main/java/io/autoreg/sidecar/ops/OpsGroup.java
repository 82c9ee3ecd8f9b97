package io.autoreg.sidecar.ops;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups verbs ({@code services}, {@code configuration}, …): alone it is a usage error. */
abstract class OpsGroup implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "missing sub-command: one of "
                        + String.join(
                                ", ",
                                spec.subcommands().values().stream()
                                        .map(sub -> sub.getCommandSpec().name())
                                        .distinct()
                                        .toList()));
    }
}
