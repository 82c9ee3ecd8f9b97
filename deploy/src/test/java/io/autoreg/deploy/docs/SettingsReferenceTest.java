package io.autoreg.deploy.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.autoreg.core.internal.settings.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code docs/settings.md} is what the schema renders to today, and the schema is complete enough to render. */
class SettingsReferenceTest {

    @Test
    void theSettingsReferenceIsUpToDate() throws IOException {
        Path file = RepoRoot.path().resolve(SettingsReference.FILE);
        String expected = SettingsReference.render();
        if (Boolean.getBoolean("settings.reference.write")) {
            SettingsReference.main(new String[] {RepoRoot.path().toString()});
        }
        String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (!expected.equals(actual)) {
            fail(SettingsReference.FILE + " is stale: the settings schema changed. Run "
                    + "scripts/dev/settings-reference.sh and commit " + SettingsReference.FILE + ".");
        }
    }

    @Test
    void everyKeyIsDeclaredOnceAndDescribed() {
        Set<String> seen = new HashSet<>();
        int rows = 0;
        for (SettingsReference.Section section : SettingsReference.sections()) {
            for (Setting s : section.settings()) {
                assertTrue(seen.add(s.path()), s.path() + " is declared twice");
                assertFalse(s.description().isBlank(), s.path() + " has no description");
                assertTrue(s.description().endsWith("."), s.path() + ": a description is one sentence");
                rows++;
            }
        }
        assertTrue(
                seen.contains("autoreg.heartbeat.timeout")
                        && seen.contains("autoreg.agent.drain")
                        && seen.contains("autoreg.sidecar.check.port")
                        && seen.contains("autoreg.server.port"),
                seen.toString());
        assertEquals(
                rows,
                SettingsReference.render()
                        .lines()
                        .filter(l -> l.startsWith("| `autoreg."))
                        .count());
    }
}
