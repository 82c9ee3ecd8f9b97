package io.autoreg.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The registry needs the core only for its settings reader: the packaged jar carries neither the client's
 * OkHttp nor Okio nor Kotlin (registry/pom.xml excludes them and its enforcer rule keeps them out).
 */
class RegistryJarContentsIT {

    private static final List<String> BANNED = List.of("okhttp3/", "okio/", "kotlin/");

    @Test
    void theRegistryJarCarriesNoOkHttpOkioOrKotlin() throws IOException {
        Path jar =
                Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target/autoreg-registry.jar");
        assertTrue(Files.isRegularFile(jar), "build it first: ./mvnw -pl registry -am package");
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> banned = file.stream()
                    .map(JarEntry::getName)
                    .filter(name -> BANNED.stream().anyMatch(name::startsWith))
                    .limit(10)
                    .toList();
            assertEquals(List.of(), banned);
            assertTrue(
                    file.getEntry("io/autoreg/core/internal/settings/SettingsReader.class") != null,
                    "the settings reader is still in");
        }
    }
}
