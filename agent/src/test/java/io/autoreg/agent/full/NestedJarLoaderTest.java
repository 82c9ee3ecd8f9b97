package io.autoreg.agent.full;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NestedJarLoaderTest {

    /** Loaded from the jar by the loader under test: it names nothing but java.base. */
    public static final class Greeting implements Supplier<String> {
        @Override
        public String get() {
            return "hello from " + getClass().getClassLoader().getName();
        }
    }

    private static final String CLASS_ENTRY = Greeting.class.getName().replace('.', '/') + ".class";

    private static Path jarWithGreeting(Path dir) throws IOException {
        Path jar = dir.resolve("libraries.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar));
                InputStream bytes = Greeting.class.getResourceAsStream("/" + CLASS_ENTRY)) {
            out.putNextEntry(new ZipEntry(CLASS_ENTRY));
            bytes.transferTo(out);
            out.putNextEntry(new ZipEntry("some/resource.txt"));
            out.write("in the nested jar".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    @Test
    void definesTheJarsClassesItselfBelowTheBootLoader(@TempDir Path dir) throws Exception {
        NestedJarLoader loader = new NestedJarLoader(jarWithGreeting(dir), null);
        Class<?> greeting = Class.forName(Greeting.class.getName(), true, loader);
        assertSame(loader, greeting.getClassLoader());
        assertNotSame(Greeting.class, greeting, "not the test class path's copy: the boot loader cannot see that");
        @SuppressWarnings("unchecked")
        Supplier<String> instance =
                (Supplier<String>) greeting.getDeclaredConstructor().newInstance();
        assertEquals("hello from autoreg-full-path", instance.get());
        assertEquals(
                dir.resolve("libraries.jar").toUri().toURL(),
                greeting.getProtectionDomain().getCodeSource().getLocation(),
                "the jar is the code source");
        assertSame(greeting, loader.loadClass(Greeting.class.getName()), "defined once");
        assertSame(String.class, loader.loadClass("java.lang.String"), "the parent first");
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("io.autoreg.NotThere"));
    }

    @Test
    void theParentsClassesWinOverTheJars(@TempDir Path dir) throws Exception {
        NestedJarLoader loader = new NestedJarLoader(jarWithGreeting(dir), NestedJarLoaderTest.class.getClassLoader());
        assertSame(Greeting.class, loader.loadClass(Greeting.class.getName()));
    }

    @Test
    void findsTheJarsResources(@TempDir Path dir) throws Exception {
        NestedJarLoader loader = new NestedJarLoader(jarWithGreeting(dir), null);
        URL resource = loader.getResource("some/resource.txt");
        try (InputStream in = resource.openStream()) {
            assertEquals("in the nested jar", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of(resource), Collections.list(loader.getResources("some/resource.txt")));
        assertNull(loader.getResource("some/missing.txt"));
        assertEquals(List.of(), Collections.list(loader.getResources("some/missing.txt")));
    }
}
