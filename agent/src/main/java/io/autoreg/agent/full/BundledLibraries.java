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
 * of them. They are put on the system class loader's search path
 * ({@link Instrumentation#appendToSystemClassLoaderSearch}) the first time a setting needs them, from a
 * private copy in the temp directory (owner-only, deleted at exit; a fresh file per JVM, so nothing another
 * user planted can be picked up). Classes stay relocated under {@code io.autoreg.agent.shaded}, so the host's
 * own versions of these libraries are untouched.
 *
 * <p>When the agent runs from a class directory (its own tests) there is no nested jar and the libraries
 * are already on the class path: nothing to do.
 */
public final class BundledLibraries {

    static final String NESTED = "META-INF/autoreg/libraries.jar";

    private final Instrumentation instrumentation;
    private final ClassLoader agentLoader;
    private boolean available;

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
        try (InputStream nested = agentLoader.getResourceAsStream(NESTED)) {
            if (nested != null) {
                instrumentation.appendToSystemClassLoaderSearch(
                        new JarFile(copyOut(nested).toFile()));
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
