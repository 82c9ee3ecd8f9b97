package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.testing.AgentApps;
import io.autoreg.agent.testing.AgentIt;
import io.autoreg.agent.testing.Artifacts;
import io.autoreg.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's classes come from the boot loader when the jar has its own name ({@code Boot-Class-Path} in the
 * manifest, docs/architecture.md), with nothing printed by the JVM; a renamed jar runs them from the system class
 * loader and registers all the same. The loader is read from {@code -Xlog:class+load}: the boot loader's source
 * is the jar's path, the system class loader's a {@code file:} URL.
 */
class BootLoadingIT {

    @RegisterExtension
    static final AgentIt AGENT = new AgentIt();

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void theAgentJarUnderItsOwnNameLoadsItsClassesFromTheBootLoaderSilently(int jdk, @TempDir Path dir)
            throws IOException {
        String source = registeredAndLoadedFrom(jdk, Artifacts.agentJar(), "boot-" + jdk, dir);
        assertEquals(Path.of(Artifacts.agentJar()).toAbsolutePath().toString(), source);
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 25})
    void aRenamedJarRunsFromTheSystemClassLoader(int jdk, @TempDir Path dir) throws IOException {
        Path renamed = dir.resolve("renamed-agent.jar");
        Files.copy(Path.of(Artifacts.agentJar()), renamed);
        String source = registeredAndLoadedFrom(jdk, renamed.toString(), "renamed-" + jdk, dir);
        assertEquals("file:" + renamed.toAbsolutePath(), source);
    }

    /**
     * A config file takes the full path (the core's Typesafe Config reader and backends, from the nested libraries
     * jar): its classes are loaded from the user's copy of that jar by a loader of the agent's own, never appended to
     * the boot loader's path, which would print a JVM warning on the host's output and turn the host's CDS archive off.
     * The registry is still spoken to by the light client, which serves such settings as well as the core's would.
     */
    @ParameterizedTest(name = "renamed {0}")
    @ValueSource(booleans = {false, true})
    void theFullPathLoadsItsLibrariesSilentlyWithTheHostsCdsArchiveLeftOn(boolean renamed, @TempDir Path dir)
            throws IOException {
        String agentJar = Artifacts.agentJar();
        if (renamed) {
            agentJar = Files.copy(Path.of(agentJar), dir.resolve("renamed-agent.jar"))
                    .toString();
        }
        String name = "full-path-" + (renamed ? "renamed" : "boot");
        Path config = dir.resolve("autoreg.conf");
        Files.writeString(
                config,
                "autoreg.registry.url = \"" + AGENT.registry().apiUrl() + "\"\n" + "autoreg.service.name = " + name
                        + "\n");
        Path classLog = dir.resolve("class-load-" + name + ".log");
        ChildJvm app = AGENT.start(ChildJvm.builder()
                .agent(agentJar, "config=" + config)
                .systemProperty("java.io.tmpdir", dir.toString())
                .jvmOption("-Xlog:class+load=info:file=" + classLog)
                .jar(Artifacts.sampleAppJar(), "--port", "0"));
        awaitRegisteredSilently(app, name);
        String source = sourceOf(classLog, "io.autoreg.agent.full.nested.CoreFullPath", app);
        assertTrue(
                source.startsWith("file:" + dir.resolve("autoreg-agent-" + System.getProperty("user.name")))
                        && source.endsWith(".jar"),
                "loaded from the user's copy of the libraries jar: " + source);
        // service-registry over plain HTTP: the light client serves it, OkHttp, Kotlin and Jackson stay unloaded
        List<String> clientClasses = Files.readAllLines(classLog).stream()
                .filter(l -> l.contains("io.autoreg.agent.shaded.okhttp3.")
                        || l.contains("io.autoreg.agent.shaded.com.fasterxml."))
                .toList();
        assertEquals(List.of(), clientClasses);
    }

    /** Runs the sample app under the given agent jar; returns the source of the agent's runtime class. */
    private static String registeredAndLoadedFrom(int jdk, String agentJar, String name, Path dir) throws IOException {
        Path classLog = dir.resolve("class-load-" + name + ".log");
        ChildJvm app = AGENT.start(ChildJvm.builder()
                .javaHome(AgentApps.jdk(jdk))
                .agent(agentJar, "registry.url=" + AGENT.registry().apiUrl() + ",service.name=" + name)
                .jvmOption("-Xlog:class+load=info:file=" + classLog)
                .jar(Artifacts.sampleAppJar(), "--port", "0"));
        awaitRegisteredSilently(app, name);
        return sourceOf(classLog, "io.autoreg.agent.AgentStart", app);
    }

    /** Where {@code -Xlog:class+load} says the class came from: a jar's path (boot loader) or a URL. */
    private static String sourceOf(Path classLog, String className, ChildJvm app) throws IOException {
        String marker = className + " source: ";
        return Files.readAllLines(classLog).stream()
                .filter(l -> l.contains(marker))
                .map(l -> l.substring(l.indexOf(marker) + marker.length()).trim())
                .findFirst()
                .orElseThrow(() -> new AssertionError(className + " not loaded: " + classLog + "\n" + app.output()));
    }

    /** Registered, with no JVM warning on either output (HotSpot writes its warnings to stderr, its notes to stdout). */
    private static void awaitRegisteredSilently(ChildJvm app, String name) {
        app.awaitPort(Duration.ofSeconds(30));
        AgentApps.awaitRegistered(AGENT.registry(), name, Duration.ofSeconds(10), app);
        List<String> jvmNoise = app.stdoutLines().stream()
                .filter(l -> l.contains("warning") || l.contains("Illegal argument"))
                .toList();
        assertTrue(jvmNoise.isEmpty(), "the JVM printed: " + jvmNoise);
        assertTrue(app.stderrLines().stream().noneMatch(l -> l.contains("warning")), app.output());
    }
}
