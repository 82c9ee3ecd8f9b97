package io.autoreg.agent.full;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarFile;

/**
 * The relocated libraries of the full path (Typesafe Config, OkHttp, Kotlin, Jackson, Curator, ZooKeeper,
 * Netty), which the agent jar carries as one nested jar, {@value #NESTED}.
 *
 * <p>Why nested: the JVM reads the whole central directory of a {@code -javaagent} jar at start and the
 * system class loader searches it for every class it misses; with ~8,000 library entries that alone cost
 * the host app ~15 ms of start-up, although the default configuration (JDK-only fast path) never loads any
 * of them. They are put on a class loader's search path the first time a setting needs them — the boot
 * loader's, where the agent's classes are (docs/architecture.md, "Start-up path"), or the system class loader's
 * when the agent runs from there (a renamed jar, {@code attach}) — from a private copy in the temp directory
 * (owner-only, deleted at exit; a fresh file per JVM, so nothing another user planted can be picked up).
 * Classes stay relocated under {@code io.autoreg.agent.shaded}, so the host's own versions of these libraries
 * are untouched.
 *
 * <p>When the agent runs from a class directory (its own tests) there is no nested jar and the libraries
 * are already on the class path: nothing to do.
 */
public final class BundledLibraries {

    static final String NESTED = "META-INF/autoreg/libraries.jar";

    private final Instrumentation instrumentation;
    /** The loader of the agent's classes: null for the boot loader. */
    private final ClassLoader agentLoader;

    private boolean available;

    /** @param agentLoader the loader of the agent's classes: null for the boot loader */
    public BundledLibraries(Instrumentation instrumentation, ClassLoader agentLoader) {
        this.instrumentation = instrumentation;
        this.agentLoader = agentLoader;
    }

    /**
     * Makes the libraries loadable; idempotent, confined to the agent's thread.
     *
     * @throws IOException when the nested jar cannot be copied out (say, no writable temp directory)
     */
    public void ensureAvailable() throws IOException {
        if (available) {
            return;
        }
        // the agent jar is on the system class path too, which finds its resources for the boot-loaded agent
        ClassLoader resources = agentLoader == null ? ClassLoader.getSystemClassLoader() : agentLoader;
        try (InputStream nested = resources.getResourceAsStream(NESTED)) {
            if (nested != null) {
                try (JarFile libraries = new JarFile(copyOut(nested).toFile())) {
                    if (agentLoader == null) {
                        instrumentation.appendToBootstrapClassLoaderSearch(libraries);
                    } else {
                        instrumentation.appendToSystemClassLoaderSearch(libraries);
                    }
                }
            }
        }
        available = true;
    }

    private static Path copyOut(InputStream nested) throws IOException {
        Path copy;
        try {
            copy = Files.createTempFile(
                    "autoreg-agent-libraries-",
                    ".jar",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            copy = Files.createTempFile("autoreg-agent-libraries-", ".jar"); // private to the user by default there
        }
        copy.toFile().deleteOnExit();
        Files.copy(nested, copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }
}
