package io.autoreg.agent.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the built artifacts the ITs run (passed by failsafe as system properties). */
public final class Artifacts {

    private Artifacts() {}

    public static String agentJar() {
        return existing("autoreg-it.agentJar", "agent/target/autoreg-agent.jar (run mvn package in agent)");
    }

    public static String sampleAppJar() {
        return existing("autoreg-it.sampleAppJar", "sample-app/target/sample-app.jar (build the sample-app module)");
    }

    /** Class path of the framework fixture apps (agent-fixtures: its classes and its dependencies). */
    public static String fixturesClasspath() {
        Path dir = Path.of(System.getProperty("autoreg-it.fixturesDir", "../agent-fixtures/target"));
        Path listing = dir.resolve("fixture.classpath");
        if (!Files.isRegularFile(listing)) {
            throw new AssertionError(
                    "missing " + listing + " (build the agent-fixtures module: mvn -pl agent-fixtures package)");
        }
        try {
            return dir.resolve("classes")
                    + java.io.File.pathSeparator
                    + Files.readString(listing).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** JDK 25 home; the ITs that need it fail with a message saying how to get it. */
    public static Path jdk25() {
        Path home = Path.of(System.getProperty("autoreg-it.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new AssertionError("JDK 25 not found at " + home + ": install temurin-25-jdk or set -Djdk25.home=");
        }
        return home;
    }

    private static String existing(String property, String hint) {
        String path = System.getProperty(property);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new AssertionError("missing " + hint + " (property " + property + " = " + path + ")");
        }
        return path;
    }
}
