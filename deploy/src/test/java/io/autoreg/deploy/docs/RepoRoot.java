package io.autoreg.deploy.docs;

import java.nio.file.Path;

/** The repository's root: surefire passes it as {@code autoreg-it.root} (deploy/pom.xml). */
final class RepoRoot {

    private RepoRoot() {}

    static Path path() {
        return Path.of(System.getProperty("autoreg-it.root", ".."))
                .toAbsolutePath()
                .normalize();
    }
}
