package io.autoreg.agent.full;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.jar.JarEntry;
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
 * when the agent runs from there (a renamed jar, {@code attach}) — from the user's copy of this build in the
 * temp directory ({@link LibraryCache}: owner-only, shared by the user's JVMs, never left behind per JVM).
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
        URL nested = resources.getResource(NESTED);
        if (nested != null) {
            try (JarFile libraries = new JarFile(copyOut(nested).toFile())) {
                if (agentLoader == null) {
                    instrumentation.appendToBootstrapClassLoaderSearch(libraries);
                } else {
                    instrumentation.appendToSystemClassLoaderSearch(libraries);
                }
            }
        }
        available = true;
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
