package io.autoreg.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher jar {@code attach} hands to a running JVM: its manifest, its removal, and the removal of stale ones. */
class AttachLauncherJarTest {

    @Test
    void theLauncherDeclaresTheAgentAndPointsAtTheJarBesideIt(@TempDir Path dir) throws IOException {
        Path agent = agentJar(dir);
        Path launcherPath;
        try (AttachLauncherJar launcher = AttachLauncherJar.beside(agent)) {
            launcherPath = launcher.path();
            assertEquals(dir, launcherPath.getParent());
            try (JarFile jar = new JarFile(launcherPath.toFile())) {
                Attributes main = jar.getManifest().getMainAttributes();
                assertEquals("io.autoreg.agent.AutoregAgent", main.getValue("Agent-Class"));
                assertEquals("true", main.getValue("Can-Retransform-Classes"));
                assertEquals("autoreg-agent.jar", main.getValue(Attributes.Name.CLASS_PATH));
                assertEquals(null, main.getValue("Boot-Class-Path"), "never a boot class path in a live JVM");
            }
        }
        assertFalse(Files.exists(launcherPath), "deleted once closed");
    }

    @Test
    void launchersLeftByAKilledAttachAreRemovedByTheNextOneOthersStay(@TempDir Path dir) throws IOException {
        Path agent = agentJar(dir);
        Path stale = Files.createFile(dir.resolve(".autoreg-attach-123.jar"));
        Files.setLastModifiedTime(
                stale,
                FileTime.from(Instant.now().minus(AttachLauncherJar.STALE_AFTER).minus(Duration.ofMinutes(1))));
        Path running = Files.createFile(dir.resolve(".autoreg-attach-456.jar")); // another attach, right now
        Path unrelated = Files.createFile(dir.resolve("app.jar"));
        Files.setLastModifiedTime(unrelated, FileTime.from(Instant.EPOCH));
        try (AttachLauncherJar launcher = AttachLauncherJar.beside(agent)) {
            assertTrue(Files.exists(launcher.path()));
        }
        assertFalse(Files.exists(stale), "an hour old: left by a killed attach");
        assertTrue(Files.exists(running), "fresh: another attach may be using it");
        assertTrue(Files.exists(unrelated), "not a launcher jar");
        assertTrue(Files.exists(agent));
    }

    private static Path agentJar(Path dir) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Agent-Class", "io.autoreg.agent.AutoregAgent");
        main.putValue("Premain-Class", "io.autoreg.agent.AutoregAgent");
        main.putValue("Boot-Class-Path", "autoreg-agent.jar");
        main.putValue("Can-Retransform-Classes", "true");
        Path jar = dir.resolve("autoreg-agent.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            ignored.flush();
        }
        return jar;
    }
}
