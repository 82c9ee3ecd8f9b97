package io.autoreg.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent is recognised among a process's descriptors as {@code /proc/PID/fd} lists them — links to files, pipes,
 * sockets — by the manifest of the jar, whatever its name: given with {@code -javaagent} ({@code Premain-Class}), or
 * through {@code attach}'s launcher jar ({@code Agent-Class} only). A real JVM: {@code AttachIT}.
 */
class LoadedAgentJarTest {

    @Test
    void theAgentsJarIsFoundByItsManifestUnderAnyName(@TempDir Path dir) throws IOException {
        Path app = jar(dir.resolve("app.jar"), "Main-Class", "com.example.Main");
        Path agent = jar(dir.resolve("renamed.jar"), "Premain-Class", LoadedAgentJar.AGENT_CLASS);
        Path process = process(dir, app, agent);

        assertEquals(agent.toString(), LoadedAgentJar.in(process));
    }

    @Test
    void aLauncherJarDeclaringOnlyTheAgentClassCountsAfterTheAgentJar(@TempDir Path dir) throws IOException {
        Path launcher = jar(dir.resolve(".autoreg-attach-1.jar"), "Agent-Class", LoadedAgentJar.AGENT_CLASS);
        Path agent = jar(dir.resolve("autoreg-agent.jar"), "Premain-Class", LoadedAgentJar.AGENT_CLASS);

        assertEquals(launcher.toString(), LoadedAgentJar.in(process(dir.resolve("a"), launcher)));
        assertEquals(agent.toString(), LoadedAgentJar.in(process(dir.resolve("b"), launcher, agent)));
    }

    @Test
    void otherAgentsJarsAndNoProcNothing(@TempDir Path dir) throws IOException {
        Path other = jar(dir.resolve("otel.jar"), "Premain-Class", "io.opentelemetry.javaagent.OpenTelemetryAgent");
        Path notAZip = Files.writeString(dir.resolve("broken.jar"), "not a zip");
        Path process = process(dir, other, notAZip);
        Files.createSymbolicLink(process.resolve("fd/9"), dir.resolve("gone.jar"));

        assertNull(LoadedAgentJar.in(process));
        assertNull(LoadedAgentJar.in(dir.resolve("no-such-process")));
    }

    /** A {@code /proc/PID} with stdin, a socket, a pipe, then the files, as numbered links. */
    private static Path process(Path dir, Path... files) throws IOException {
        Path fd = Files.createDirectories(dir.resolve("proc/4242/fd"));
        Files.createSymbolicLink(fd.resolve("0"), Path.of("/dev/null"));
        Files.createSymbolicLink(fd.resolve("3"), Path.of("socket:[4242]"));
        Files.createSymbolicLink(fd.resolve("4"), Path.of("pipe:[77]"));
        int next = 5;
        for (Path file : files) {
            Files.createSymbolicLink(fd.resolve(String.valueOf(next++)), file);
        }
        return fd.getParent();
    }

    private static Path jar(Path path, String attribute, String value) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(attribute, value);
        try (OutputStream file = Files.newOutputStream(path);
                JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.flush();
        }
        return path;
    }
}
