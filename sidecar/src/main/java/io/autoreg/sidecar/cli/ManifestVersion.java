package io.autoreg.sidecar.cli;

import picocli.CommandLine;

/** {@code --version}: the {@code Implementation-Version} the build writes into the jar's manifest. */
public final class ManifestVersion implements CommandLine.IVersionProvider {

    /** The version of the running jar; outside the jar (tests on the class path) there is no manifest to ask. */
    public static String version() {
        String version = ManifestVersion.class.getPackage().getImplementationVersion();
        return version == null ? "unknown (not run from the jar)" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "autoreg-sidecar " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
