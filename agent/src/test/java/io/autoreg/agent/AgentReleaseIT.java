package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.testing.Artifacts;
import io.autoreg.testing.Await;
import io.autoreg.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What a release carries: {@code java -jar autoreg-agent.jar --version} prints the POM's version (from the
 * manifest's {@code Implementation-Version}), the agent's first debug line names it, and the licence notices
 * of the shaded libraries are merged into the jar's one {@code META-INF/NOTICE}.
 */
class AgentReleaseIT {

    private static final String VERSION = System.getProperty("autoreg-it.version");

    @Test
    void versionOptionPrintsTheManifestVersion() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", Artifacts.agentJar(), "--version")
                .redirectErrorStream(true)
                .start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "--version exits");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), out);
        assertEquals("autoreg-agent " + VERSION + " (Java " + System.getProperty("java.version") + ")", out);
        try (JarFile jar = new JarFile(Artifacts.agentJar())) {
            assertEquals(VERSION, jar.getManifest().getMainAttributes().getValue("Implementation-Version"));
        }
    }

    @Test
    void firstDebugLineNamesTheVersion() {
        // nothing listens on port 1: the registry is never reached, the start-up line is logged all the same
        try (ChildJvm app = ChildJvm.builder()
                .agent(Artifacts.agentJar(), "log.level=debug,registry.url=http://127.0.0.1:1/v1.0/default")
                .jar(Artifacts.sampleAppJar(), "--port", "0")
                .start()) {
            app.awaitPort(Duration.ofSeconds(30));
            Await.until(
                    Duration.ofSeconds(20),
                    () -> app.stderrLines().stream().anyMatch(l -> l.contains(" debug ")),
                    "a debug line");
            List<String> debug = app.stderrLines().stream()
                    .filter(l -> l.startsWith("[autoreg]") && l.contains(" debug "))
                    .toList();
            assertTrue(debug.get(0).contains(" debug autoreg-agent " + VERSION + " (Java "), debug.toString());
        }
    }

    @Test
    void noticesOfTheShadedLibrariesAreMergedIntoOne() throws IOException {
        try (JarFile jar = new JarFile(Artifacts.agentJar())) {
            String notice = new String(
                    jar.getInputStream(jar.getEntry("META-INF/NOTICE")).readAllBytes(), StandardCharsets.UTF_8);
            // Curator and Jackson ship NOTICE files of their own; both must survive the merge, under our name
            assertTrue(notice.contains("in this case for autoreg"), notice);
            assertTrue(notice.contains("Curator"), notice);
            assertTrue(notice.contains("Jackson JSON processor"), notice);
        }
    }
}
