package io.autoreg.sidecar.testing;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the artifacts under test are: the shaded sidecar jar (set by failsafe) and the sample app on the test class path. */
public final class Jars {
    private Jars() {}

    public static String sidecar() {
        String jar = System.getProperty("sidecar.jar", "target/autoreg-sidecar.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new AssertionError(
                    "sidecar jar " + jar + " missing: run the ITs through Maven (./mvnw -pl sidecar verify)");
        }
        return jar;
    }

    /** The sample app's jar (a test dependency), run with {@code java -cp JAR io.autoreg.sample.SampleApp}. */
    public static String sampleApp() {
        try {
            return Path.of(Class.forName("io.autoreg.sample.SampleApp")
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new AssertionError("sample-app is not on the test class path", e);
        }
    }
}
