package io.autoreg.sidecar.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A man(7) page for the whole command tree: NAME, SYNOPSIS, DESCRIPTION, one COMMANDS subsection per
 * runnable command (its synopsis, description and options), EXIT STATUS and ENVIRONMENT. Generated from
 * the picocli model, so it cannot drift from {@code --help}.
 */
public final class ManPage {
    private ManPage() {}

    public static String of(CommandSpec root, String version) {
        StringBuilder page = new StringBuilder();
        page.append(".TH \"")
                .append(root.name().toUpperCase())
                .append("\" \"1\" \"")
                .append(LocalDate.now(ZoneOffset.UTC))
                .append("\" \"")
                .append(escape(root.name() + " " + version))
                .append("\" \"User Commands\"\n");
        page.append(".SH NAME\n")
                .append(escape(root.name()))
                .append(" \\- ")
                .append(escape(String.join(" ", root.usageMessage().description())))
                .append('\n');
        page.append(".SH SYNOPSIS\n.B ").append(escape(root.name())).append("\n.I COMMAND\n[\\fIOPTIONS\\fR]\n");
        page.append(".SH DESCRIPTION\n")
                .append(escape(String.join(" ", root.usageMessage().description())))
                .append('\n');
        page.append(
                ".PP\nEvery command takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR and \\fB\\-V\\fR, \\fB\\-\\-version\\fR.\n");
        page.append(".SH COMMANDS\n");
        commands(root, page);
        page.append(".SH EXIT STATUS\n");
        item(page, "0", "success");
        item(page, "1", "the registry answered a fault (printed whole on stderr)");
        item(page, "2", "usage error or bad setting (the key, where it came from, what is allowed)");
        item(page, "3", "the registry could not be reached");
        item(
                page,
                "exec",
                "the command's own exit code (128+N when signal N ended it); 100 when "
                        + "--abort-on-failure and the first registration failed; 127 when the command cannot be run");
        page.append(".SH ENVIRONMENT\n");
        item(page, "AUTOREG_REGISTRY_URL, AUTOREG_REGISTRY_TOKEN", "the registry and its static token");
        item(
                page,
                "AUTOREG_REGISTRY_AUTH_USERNAME, AUTOREG_REGISTRY_AUTH_API_KEY",
                "credentials for the token endpoint");
        item(page, "AUTOREG_CONFIG", "a HOCON settings file; every autoreg.* key has its AUTOREG_* variable");
        page.append(".PP\nPrecedence: flags > \\-Dautoreg.* > AUTOREG_* > file > defaults.\n");
        return page.toString();
    }

    private static void commands(CommandSpec spec, StringBuilder page) {
        for (CommandSpec sub : spec.subcommands().values().stream()
                .map(cl -> cl.getCommandSpec())
                .distinct()
                .toList()) {
            if (sub.usageMessage().hidden() || sub.name().equals("help")) {
                continue;
            }
            if (sub.subcommands().isEmpty()) {
                command(sub, page);
            } else {
                commands(sub, page);
            }
        }
    }

    private static void command(CommandSpec spec, StringBuilder page) {
        page.append(".SS ").append(escape(spec.qualifiedName())).append('\n');
        StringBuilder synopsis =
                new StringBuilder(".B ").append(escape(spec.qualifiedName())).append('\n');
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            synopsis.append(".I ").append(escape(positional.paramLabel())).append('\n');
        }
        page.append(synopsis).append("[\\fIOPTIONS\\fR]\n.PP\n");
        if (spec.aliases().length > 0) {
            page.append("Also: ")
                    .append(escape(String.join(", ", spec.aliases())))
                    .append(".\n.PP\n");
        }
        page.append(escape(String.join(" ", spec.usageMessage().description()))).append('\n');
        List<OptionSpec> options = spec.options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp() && !o.hidden())
                .toList();
        for (OptionSpec option : options) {
            String names = String.join(", ", option.names());
            String label = option.arity().max() > 0 ? " " + option.paramLabel() : "";
            page.append(".TP\n\\fB")
                    .append(escape(names))
                    .append("\\fR")
                    .append(escape(label))
                    .append('\n')
                    .append(escape(String.join(" ", option.description())))
                    .append('\n');
        }
    }

    private static void item(StringBuilder page, String term, String text) {
        page.append(".TP\n\\fB")
                .append(escape(term))
                .append("\\fR\n")
                .append(escape(text))
                .append('\n');
    }

    /** Backslashes doubled, hyphens as {@code \-}, and a line never starting with a control character. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-").replace("\n", " ");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
