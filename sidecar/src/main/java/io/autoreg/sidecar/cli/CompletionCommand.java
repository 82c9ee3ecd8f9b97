package io.autoreg.sidecar.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion bash|zsh}: picocli's generated completion script for every command, option and
 * option value the sidecar knows. The script also serves zsh: it loads zsh's {@code bashcompinit} itself.
 */
@Command(
        name = "completion",
        description = {
            "print a shell completion script for the command 'autoreg-sidecar' (bash or zsh)",
            "bash: source <(autoreg-sidecar completion bash)   zsh: source <(autoreg-sidecar completion zsh)",
            "(with autoreg-sidecar a script on the PATH that runs: exec java -jar /path/to/autoreg-sidecar.jar \"$@\")"
        })
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", completionCandidates = Shells.class, description = "bash | zsh")
    String shell;

    /** The completion candidates of the shell. */
    static final class Shells extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Shells() {
            super(List.of("bash", "zsh"));
        }
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new UsageException("completion scripts exist for bash and zsh, not '" + shell + "'");
        }
        spec.commandLine()
                .getOut()
                .print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
