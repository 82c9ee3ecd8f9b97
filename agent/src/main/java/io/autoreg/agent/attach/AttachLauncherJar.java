package io.autoreg.agent.attach;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * deleted once the JVM has loaded the agent (it holds the jars open by then), or when {@code attach} exits early;
 * one left by an {@code attach} that was killed is removed by the next ({@link #STALE_AFTER}).
 */
final class AttachLauncherJar implements AutoCloseable {

    /**
     * A launcher jar this old was left by an {@code attach} killed before it could delete its own (the JVM deletes
     * it on any other exit): the next {@code attach} removes it. An attach takes seconds, so an hour never touches
     * the jar of one running beside it.
     */
    static final Duration STALE_AFTER = Duration.ofHours(1);

    private static final String PREFIX_BESIDE = ".autoreg-attach-";
    private static final String PREFIX_TEMP = "autoreg-attach-";
    private static final String SUFFIX = ".jar";

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
            removeStale(directory, PREFIX_BESIDE, Instant.now());
            launcher = Files.createTempFile(directory, PREFIX_BESIDE, SUFFIX);
        } catch (IOException notWritable) {
            Path temp = Path.of(System.getProperty("java.io.tmpdir"));
            removeStale(temp, PREFIX_TEMP, Instant.now());
            launcher = Files.createTempFile(temp, PREFIX_TEMP, SUFFIX);
        }
        launcher.toFile().deleteOnExit(); // an attach interrupted (Ctrl-C, SIGTERM) leaves nothing either
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

    /** Deletes the launcher jars older than {@link #STALE_AFTER} in this directory; what it cannot read it leaves. */
    static void removeStale(Path directory, String prefix, Instant now) {
        try (DirectoryStream<Path> launchers = Files.newDirectoryStream(directory, prefix + "*" + SUFFIX)) {
            for (Path launcher : launchers) {
                try {
                    Instant written = Files.getLastModifiedTime(launcher).toInstant();
                    if (written.isBefore(now.minus(STALE_AFTER))) {
                        Files.deleteIfExists(launcher);
                    }
                } catch (IOException e) {
                    // another attach removed it meanwhile, or it is not ours to remove
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable directory: nothing to clean up here
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
