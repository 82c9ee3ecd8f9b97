package io.autoreg.deploy.docs;

import io.autoreg.core.internal.settings.Setting;
import io.autoreg.core.internal.settings.SettingsSchema;
import io.autoreg.registry.ServerSchema;
import io.autoreg.sidecar.run.SidecarSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders {@code docs/settings.md} from the declarations the readers use: the core's {@link SettingsSchema},
 * the agent's {@code AgentSettings.SCHEMA} (through {@link AgentSchema}), the sidecar's {@link SidecarSchema}
 * and the registry server's {@link ServerSchema}. Every word of a row comes from a {@link Setting}; only the
 * section headings and the precedence rules are written here. {@code scripts/dev/settings-reference.sh}
 * writes the file, {@code SettingsReferenceTest} fails when it is stale.
 */
public final class SettingsReference {

    /** The file, relative to the repository root. */
    public static final String FILE = "docs/settings.md";

    /** One part of {@code autoreg.*}: who reads it and what it declares. */
    public record Section(String title, String readBy, String intro, List<Setting> settings) {}

    private SettingsReference() {}

    /** Every declared part of {@code autoreg.*}, in the order of the reference. */
    public static List<Section> sections() {
        List<Setting> common = new ArrayList<>();
        common.add(SettingsSchema.CONFIG_FILE);
        common.addAll(SettingsSchema.COMMON);
        return List.of(
                new Section(
                        "Common settings",
                        "agent, sidecar",
                        "Read by every front end that registers: the agent and the sidecar (the registry server "
                                + "reads only `autoreg.server.*`).",
                        common),
                new Section(
                        "Backend options",
                        "agent, sidecar",
                        "Free-form under `autoreg.registry.<type>.*` and handed to that backend; these are the "
                                + "keys a backend reads. Config file or system property only.",
                        SettingsSchema.BACKEND_OPTIONS),
                new Section("Agent", "agent", "The `-javaagent` only (see agent/README.md).", AgentSchema.settings()),
                new Section(
                        "Sidecar",
                        "sidecar",
                        "The `autoreg-sidecar` command only (see sidecar/README.md). "
                                + "`autoreg.sidecar.check.*` can also be given as `run` flags.",
                        SidecarSchema.SCHEMA),
                new Section(
                        "Registry server",
                        "registry",
                        "The registry server only (see registry/README.md), from its flags, `-D` system properties, "
                                + "`AUTOREG_SERVER_*` variables (scalar keys) and its `--config` file.",
                        ServerSchema.SCHEMA));
    }

    /** The whole file. */
    public static String render() {
        StringBuilder out = new StringBuilder();
        out.append("# Settings reference\n\n");
        out.append("<!-- Generated from the settings schema by scripts/dev/settings-reference.sh: do not edit by hand."
                + " SettingsReferenceTest fails when this file is stale. -->\n\n");
        out.append("Every key lives under `autoreg.`. A front end reads, highest precedence first: its own "
                + "arguments (agent arguments `key=value` and sidecar flags, keys relative to `autoreg.`), system "
                + "properties `-Dautoreg.<key>`, the environment variable of the key, the config file "
                + "(`autoreg.config`), and the built-in defaults. In the agent and the sidecar an unknown key under "
                + "`autoreg.` is an error, with the nearest known key suggested; so is one under `autoreg.server.` in "
                + "the registry. A value set on a whole section (`registry=…` for `registry.url=…`) is an error that "
                + "names the section's keys. An `AUTOREG_*` environment variable that no setting reads is a warning "
                + "with the nearest variable suggested, not an error: the environment is shared by every process of "
                + "a pod or a shell, so the other front ends' variables (`AUTOREG_SIDECAR_*` for the agent; the "
                + "registry looks at `AUTOREG_SERVER_*` only), `AUTOREG_CONFIG` and `AUTOREG_CHECK_HOST` / "
                + "`AUTOREG_CHECK_PORT` (set by the sidecar for its exec checks) pass.\n\n");
        out.append("Values given as one string (agent arguments, system properties, environment variables): "
                + "durations carry a unit (`500ms`, `3s`, `2m`, `1h`; a bare number is refused), lists are "
                + "`a,b` or `[a,b]` (agent arguments need the brackets, since commas separate the arguments), "
                + "maps are `k=v,k2=v2`, `[k=v,k2=v2]` or `{k=v,k2=v2}` (in agent arguments, bracketed likewise).\n\n");
        for (Section section : sections()) {
            out.append("## ")
                    .append(section.title())
                    .append("\n\n")
                    .append(section.intro())
                    .append("\n\n");
            out.append("| Key | Type | Default | Allowed | Environment | Read by | Description |\n");
            out.append("| --- | --- | --- | --- | --- | --- | --- |\n");
            for (Setting s : section.settings()) {
                if (s.description().isBlank()) {
                    throw new IllegalStateException(s.path() + " has no description in its schema");
                }
                out.append("| `")
                        .append(s.path())
                        .append("` | ")
                        .append(type(s))
                        .append(" | ")
                        .append(defaultOf(s))
                        .append(" | ")
                        .append(cell(allowed(s)))
                        .append(" | ")
                        .append(environment(s))
                        .append(" | ")
                        .append(section.readBy())
                        .append(" | ")
                        .append(cell(s.description()))
                        .append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String type(Setting s) {
        return switch (s.type()) {
            case BOOLEAN -> "boolean";
            case STRING -> "string";
            case ONE_OF -> "one of";
            case DURATION -> "duration";
            case LIST -> "list";
            case MAP -> "map";
            case INT -> "integer";
            case SIZE -> "size";
            case OBJECTS -> "list of objects";
        };
    }

    static String defaultOf(Setting s) {
        return s.defaultValue() == null ? "not set" : "`" + s.defaultValue() + "`";
    }

    static String allowed(Setting s) {
        return switch (s.type()) {
            case BOOLEAN -> "`true`, `false`";
            case STRING -> "text";
            case ONE_OF -> s.allowed().stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
            case DURATION -> Setting.format(s.min()) + " to " + Setting.format(s.max()) + ", with a unit";
            case LIST -> "`[a, b]`; as one string `a,b` or `[a,b]`";
            case MAP -> "`{ k = v }`; as one string `k=v,k2=v2` or `[k=v,k2=v2]`";
            case INT -> s.lowest() + " to " + s.highest();
            case SIZE -> "bytes with a unit (`64m`, `1g`)";
            case OBJECTS -> "config file only";
        };
    }

    static String environment(Setting s) {
        return s.envNames().isEmpty()
                ? "none"
                : s.envNames().stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "));
    }

    /** Markdown table cells: a pipe would end the cell, and {@code <name>} would read as an HTML tag. */
    static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Writes the reference under {@code args[0]} (the repository root; default: the working directory). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path file = root.resolve(FILE);
        Files.writeString(file, render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + file);
    }
}
