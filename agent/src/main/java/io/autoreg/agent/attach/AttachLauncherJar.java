package io.autoreg.agent.attach;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * What {@code attach} hands to the running JVM instead of the agent jar: a jar with nothing but a manifest that
 * declares the agent ({@code Agent-Class} and its capabilities) and puts the agent jar on the class path
 * ({@code Class-Path}, relative to this jar). The agent jar's own manifest has {@code Boot-Class-Path}, which the
 * JVM honours when it loads an agent at run time too, and there it costs the host: the JVM turns its CDS archive
 * off for every class not from the boot loader and prints a warning on the host's output (docs/architecture.md).
 * Loaded this way the agent runs from the system class loader, as a renamed agent jar does.
 *
 * <p>Written beside the agent jar when that directory is writable (the running JVM opens it by that path, which
 * the agent jar's path already is in the JVM's file system, containers included), else in the temp directory;
 * deleted once the JVM has loaded the agent (it holds the jars open by then).
 */
final class AttachLauncherJar implements AutoCloseable {

    private final Path path;

    private AttachLauncherJar(Path path) {
        this.path = path;
    }

    static AttachLauncherJar beside(Path agentJar) throws IOException {
        Manifest agent;
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            agent = jar.getManifest();
        }
        Path directory = agentJar.toAbsolutePath().getParent();
        Path launcher;
        try {
            launcher = Files.createTempFile(directory, ".autoreg-attach-", ".jar");
        } catch (IOException notWritable) {
            launcher = Files.createTempFile("autoreg-attach-", ".jar");
        }
        Manifest manifest = new Manifest();
        Attributes out = manifest.getMainAttributes();
        out.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Attributes in = agent.getMainAttributes();
        for (String name : new String[] {
            "Agent-Class",
            "Can-Retransform-Classes",
            "Can-Redefine-Classes",
            "Implementation-Title",
            "Implementation-Version"
        }) {
            String value = in.getValue(name);
            if (value != null) {
                out.putValue(name, value);
            }
        }
        out.put(
                Attributes.Name.CLASS_PATH,
                launcher.getParent()
                        .toUri()
                        .relativize(agentJar.toAbsolutePath().toUri())
                        .toString());
        try (OutputStream file = Files.newOutputStream(launcher);
                JarOutputStream jar = new JarOutputStream(file, manifest)) {
            jar.flush();
        }
        return new AttachLauncherJar(launcher);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
