package io.autoreg.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.core.internal.settings.UnknownVariables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code AUTOREG_*} variable the repository's own scripts, examples and main code use is either one a setting
 * reads or one of {@link UnknownVariables#NOT_SETTINGS}: otherwise the agent, the sidecar or the registry would warn
 * of it as misspelt in the environments those scripts make (a new script variable must be added to that list).
 */
class VariablesInTheRepositoryTest {

    private static final Pattern VARIABLE =
            Pattern.compile("AUTOREG_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_])"); // not a prefix (AUTOREG_SIDECAR_CHECK_*)
    /** In Java, only string literals: the comments name misspelt variables on purpose. */
    private static final Pattern LITERAL = Pattern.compile("\"(AUTOREG_[A-Z0-9_]*[A-Z0-9])\"");

    private static final List<String> PLACES = List.of(
            "scripts",
            "examples",
            "bench",
            ".ci",
            "demo.sh",
            "agent/src/main",
            "sidecar/src/main",
            "registry/src/main",
            "src-shared/src/main",
            "deploy/src/main");

    @Test
    void everyVariableTheRepositoryUsesIsASettingsOrDeclaredNotToBeOne() throws IOException {
        Path root = Manifests.root();
        Set<String> used = new TreeSet<>();
        for (String place : PLACES) {
            Path start = root.resolve(place);
            if (!Files.exists(start)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(start)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    boolean java = file.toString().endsWith(".java");
                    Matcher m = (java ? LITERAL : VARIABLE).matcher(text);
                    while (m.find()) {
                        used.add(java ? m.group(1) : m.group());
                    }
                }
            }
        }
        assertTrue(used.contains("AUTOREG_REGISTRY_URL") && used.contains("AUTOREG_PODMAN_RUNTIME"), used.toString());
        Set<String> neither = new TreeSet<>(used);
        neither.removeAll(AutoregKeys.environmentVariables());
        neither.removeAll(UnknownVariables.NOT_SETTINGS);
        assertEquals(Set.of(), neither, "used in the repository, read by no setting, not declared as not one");
    }
}
