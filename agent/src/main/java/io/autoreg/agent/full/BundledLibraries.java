package io.autoreg.agent.full;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The relocated libraries of the full path (Typesafe Config, OkHttp, Kotlin, Jackson, Curator, ZooKeeper,
 * Netty), which the agent jar carries as one nested jar, {@value #NESTED}, with the agent's and the core's classes
 * that link against them.
 *
 * <p>Why nested: the JVM reads the whole central directory of a {@code -javaagent} jar at start and the
 * system class loader searches it for every class it misses; with ~8,000 library entries that alone cost
 * the host app ~15 ms of start-up, although the default configuration (JDK-only fast path) never loads any
 * of them. The first time a setting needs them, the user's copy of this build in the temp directory
 * ({@link LibraryCache}: owner-only, shared by the user's JVMs, never left behind per JVM) is read by a class loader
 * of the agent's own, whose parent is the loader of the agent's classes (the boot loader, or the system class loader
 * for a renamed jar or {@code attach}). It is not appended to the boot loader's search path: in a running JVM that
 * prints "Sharing is only supported for boot loader classes because bootstrap classpath has been appended" on the
 * host's output and turns the CDS archive off for every class the host loads afterwards. Nor to the system class
 * loader's, which the boot-loaded agent could not see, and where the host's classes would see the libraries. Classes
 * stay relocated under {@code io.autoreg.agent.shaded} all the same, so nothing of the host's can clash with them.
 *
 * <p>When the agent runs from a class directory (its own tests) there is no nested jar and the libraries
 * are already on the class path: the full path is created from the agent's own loader.
 */
public final class BundledLibraries {

    static final String NESTED = "META-INF/autoreg/libraries.jar";
    /** In the nested jar: the agent's classes must not name it, or they would link against the libraries. */
    static final String CORE_FULL_PATH = "io.autoreg.agent.full.nested.CoreFullPath";

    /** The loader of the agent's classes: null for the boot loader. */
    private final ClassLoader agentLoader;

    private FullPath fullPath;

    /** @param agentLoader the loader of the agent's classes: null for the boot loader */
    public BundledLibraries(ClassLoader agentLoader) {
        this.agentLoader = agentLoader;
    }

    /**
     * The full path, its libraries loadable; created once, confined to the agent's thread.
     *
     * @throws IOException when the nested jar cannot be copied out (say, no writable temp directory) or its classes
     *                     cannot be loaded from the copy
     */
    public FullPath fullPath() throws IOException {
        if (fullPath == null) {
            fullPath = create();
        }
        return fullPath;
    }

    private FullPath create() throws IOException {
        // the agent jar is on the system class path too, which finds its resources for the boot-loaded agent
        ClassLoader resources = agentLoader == null ? ClassLoader.getSystemClassLoader() : agentLoader;
        URL nested = resources.getResource(NESTED);
        // Never closed: the full path's classes stay in use for the JVM's life (heartbeats, the shutdown hook).
        ClassLoader loader = nested == null ? resources : new NestedJarLoader(copyOut(nested), agentLoader);
        try {
            return (FullPath) Class.forName(CORE_FULL_PATH, true, loader)
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new IOException(
                    "the full path cannot be loaded from " + (nested == null ? "the class path" : nested), e);
        }
    }

    /** The nested jar as a file: the user's shared copy of this build, keyed by the entry's CRC and size. */
    private static Path copyOut(URL nested) throws IOException {
        LibraryCache cache = LibraryCache.forThisJvm();
        URLConnection connection = nested.openConnection();
        if (!(connection instanceof JarURLConnection inJar)) {
            throw new IOException("the nested libraries are not in a jar: " + nested);
        }
        Path agentJar;
        try {
            agentJar = Path.of(inJar.getJarFileURL().toURI());
        } catch (URISyntaxException | IllegalArgumentException notAFile) {
            throw new IOException("the agent jar is not a file: " + nested, notAFile);
        }
        try (JarFile jar = new JarFile(agentJar.toFile(), false)) {
            JarEntry entry = jar.getJarEntry(NESTED);
            if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
                throw new IOException("no checksum and size for " + NESTED + " in " + agentJar);
            }
            return cache.obtain(entry.getCrc(), entry.getSize(), () -> jar.getInputStream(entry));
        }
    }
}
