package io.autoreg.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.sidecar.testing.Jars;
import io.autoreg.testing.Child;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the jar offers around the commands: {@code --version} from its manifest, the completion script
 * (sourced into a real bash and asked for completions as bash would), and the man page (rendered by groff).
 */
class CliToolingIT {
    @TempDir
    static Path dir;

    private static String jar(String name, String... args) {
        try (Child child = Child.java(Jars.sidecar(), List.of(args), Map.of(), dir, name)) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(30)), child.stderr());
            return child.stdout();
        }
    }

    @Test
    void versionComesFromTheJarsManifestOnEveryCommand() {
        String expected = "autoreg-sidecar " + System.getProperty("sidecar.version");
        assertEquals(expected, jar("version", "--version").lines().findFirst().orElseThrow());
        assertEquals(
                expected,
                jar("version-sub", "services", "list", "-V").lines().findFirst().orElseThrow());
    }

    @Test
    void aMisspeltEnvironmentVariableIsNamedWithTheOneMeant() {
        // the registry commands read the common settings only: the sidecar's own section passes there
        Map<String, String> env = Map.of(
                "AUTOREG_REGISTRY_URLL", "http://127.0.0.1:1/v1.0/default",
                "AUTOREG_SIDECAR_CHECK_PORT", "8080");
        try (Child child = Child.java(
                Jars.sidecar(),
                List.of("services", "list", "--registry-url", "http://127.0.0.1:1/v1.0/default"),
                env,
                dir,
                "env-typo")) {
            assertEquals(3, child.awaitExit(Duration.ofSeconds(30)), child.stderr()); // port 1: unreachable
            List<String> warnings = child.stderr()
                    .lines()
                    .filter(l -> l.contains("environment variable"))
                    .toList();
            assertEquals(
                    List.of("environment variable AUTOREG_REGISTRY_URLL is not a setting of autoreg's and is ignored"
                            + " (did you mean AUTOREG_REGISTRY_URL?)"),
                    warnings.stream()
                            .map(l -> l.substring(l.indexOf("environment variable")))
                            .toList(),
                    child.stderr());
        }
    }

    /** Runs bash's completion function for {@code words} the way readline would, and answers COMPREPLY. */
    private static String complete(Path script, String... words) throws IOException, InterruptedException {
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(" '").append(word).append('\'');
        }
        String line = String.join(" ", words);
        String bash = "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + array + "); COMP_CWORD="
                + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length() + "; _complete_autoreg-sidecar 2>/dev/null;"
                + " printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process process = new ProcessBuilder("bash", "--norc", "-c", bash)
                .redirectErrorStream(true)
                .start();
        try {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bash finished");
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void theBashCompletionScriptCompletesCommandsVerbsOptionsAndValues() throws Exception {
        Path script =
                Files.writeString(dir.resolve("autoreg-sidecar.bash"), jar("completion-bash", "completion", "bash"));
        assertEquals("services\nsessions\n", complete(script, "autoreg-sidecar", "se"));
        assertEquals("maint\nmaintenance\n", complete(script, "autoreg-sidecar", "services", "mai"));
        assertTrue(complete(script, "autoreg-sidecar", "services", "list", "--re")
                .lines()
                .toList()
                .containsAll(List.of("--registry-url", "--request-timeout")));
        assertEquals(
                List.of("table", "wide", "json", "yaml", "csv"),
                complete(script, "autoreg-sidecar", "services", "list", "-o", "")
                        .lines()
                        .toList());
        assertEquals(
                List.of("on", "off"),
                complete(script, "autoreg-sidecar", "services", "maint", "db-1", "o")
                        .lines()
                        .toList());
        assertTrue(complete(script, "autoreg-sidecar", "exec", "--abort").contains("--abort-on-failure"));
    }

    @Test
    void theZshScriptLoadsBashcompinitAndIsTheSameCompletion() {
        String zsh = jar("completion-zsh", "completion", "zsh");
        assertTrue(zsh.contains("bashcompinit"), "zsh runs the bash completion through bashcompinit");
        assertTrue(zsh.contains("complete -F _complete_autoreg-sidecar"), zsh.substring(0, 400));
        try (Child bad = Child.java(Jars.sidecar(), List.of("completion", "fish"), Map.of(), dir, "completion-fish")) {
            assertEquals(2, bad.awaitExit(Duration.ofSeconds(30)));
            assertTrue(bad.stderr().contains("bash and zsh"), bad.stderr());
        }
    }

    @Test
    void theManPageRendersWithoutWarningsAndCoversEveryCommand() throws Exception {
        Path page = Files.writeString(dir.resolve("autoreg-sidecar.1"), jar("man", "man"));
        Process groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", page.toString()).start();
        String text;
        String warnings;
        try {
            text = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll(".\b", "");
            warnings = new String(groff.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(groff.waitFor(30, TimeUnit.SECONDS));
        } finally {
            groff.destroyForcibly();
        }
        assertEquals(0, groff.exitValue(), warnings);
        assertEquals("", warnings, "groff -ww warnings");
        for (String command : List.of(
                "autoreg-sidecar run",
                "autoreg-sidecar exec",
                "autoreg-sidecar services list",
                "autoreg-sidecar services maint",
                "autoreg-sidecar services delete",
                "autoreg-sidecar events list",
                "autoreg-sidecar configuration set",
                "autoreg-sidecar limits",
                "autoreg-sidecar completion")) {
            assertTrue(text.contains(command), command + " in\n" + text);
        }
        assertTrue(text.contains("EXIT STATUS") && text.contains("--registry-url"), text);
    }
}
