package io.autoreg.agent;

/**
 * The agent's release version, read from the {@code Implementation-Version} of the jar's manifest (the build
 * writes it from the POM). Outside the shaded jar - classes run from {@code target/classes} in a test - there
 * is no manifest to read, and the version says so instead of guessing.
 */
public final class AgentVersion {

    private AgentVersion() {}

    /** {@code 0.2.0}, or {@code unknown} when not run from the packaged jar. */
    public static String version() {
        String version = AgentVersion.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    /** The line {@code --version} prints and the agent's first debug line starts with. */
    public static String line() {
        return "autoreg-agent " + version() + " (Java " + System.getProperty("java.version") + ")";
    }
}
