package io.autoreg.core.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent shades this module into host JVMs, so its classes must not touch the host's logging, must
 * not discover anything through ServiceLoader, and must ship no META-INF/services and no
 * reference.conf/application.conf. Checked on the compiled classes' constant pools.
 */
class ShadeSafetyTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final List<String> FORBIDDEN = List.of(
            "java/util/logging",
            "org/slf4j",
            "java/util/ServiceLoader",
            "org/apache/logging/log4j",
            "org/apache/commons/logging");

    @Test
    void noClassReferencesHostLoggingOrServiceLoader() throws IOException {
        assertTrue(Files.isDirectory(CLASSES), "run from the module directory after compiling");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String pool = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String forbidden : FORBIDDEN) {
                    if (pool.contains(forbidden)) {
                        offenders.add(CLASSES.relativize(f) + " -> " + forbidden);
                    }
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void noServiceFilesAndNoConfigThatTheHostWouldLoad() {
        assertFalse(Files.exists(CLASSES.resolve("META-INF/services")));
        assertFalse(Files.exists(CLASSES.resolve("reference.conf")));
        assertFalse(Files.exists(CLASSES.resolve("application.conf")));
        assertTrue(Files.isRegularFile(CLASSES.resolve("io/autoreg/core/internal/settings/autoreg-defaults.conf")));
    }
}
