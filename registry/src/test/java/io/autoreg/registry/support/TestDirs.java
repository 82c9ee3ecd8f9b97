package io.autoreg.registry.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The registry tests' one recursive delete: data dirs, browser profiles, anything a test made under /tmp. */
public final class TestDirs {

    private TestDirs() {}

    /** Removes {@code root} and everything under it; a null or missing root is nothing to do. */
    public static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
