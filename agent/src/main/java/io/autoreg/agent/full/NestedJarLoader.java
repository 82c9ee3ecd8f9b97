package io.autoreg.agent.full;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the full path's classes from the user's copy of the nested libraries jar ({@link BundledLibraries}), below
 * the loader of the agent's own classes. A {@code URLClassLoader} would do the same with more work per class (a URL
 * per lookup, code sources, manifests and signers per package), all of it interpreted in a JVM that has just started:
 * the full path loads ~1,000 classes.
 */
final class NestedJarLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final ZipFile jar;
    private final String jarUrl;
    /** One for all the classes: it names the jar, where {@code -Xlog:class+load} and stack traces show the source. */
    private final ProtectionDomain domain;

    /** @param parent the loader of the agent's classes, null for the boot loader */
    NestedJarLoader(Path jar, ClassLoader parent) throws IOException {
        super("autoreg-full-path", parent);
        this.jar = new ZipFile(jar.toFile());
        this.jarUrl = jar.toUri().toString();
        this.domain = new ProtectionDomain(new CodeSource(jar.toUri().toURL(), (CodeSigner[]) null), null, this, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        ZipEntry entry = jar.getEntry(name.replace('.', '/').concat(".class"));
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    @Override
    protected URL findResource(String name) {
        if (jar.getEntry(name) == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + name);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL found = findResource(name);
        return found == null
                ? Collections.emptyEnumeration()
                : Collections.enumeration(Collections.singletonList(found));
    }
}
