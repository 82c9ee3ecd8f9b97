package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.testing.Artifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The agent jar lives on the host's class path: every class must sit under {@code io/autoreg/agent/}
 * (third-party code and autoreg's own core relocated to {@code io.autoreg.agent.shaded}, so a host app that
 * uses autoreg's client library keeps its own copy: HostCoreClientIT), and no resource the host could
 * pick up may leak (service files, {@code reference.conf}, {@code module-info}, Maven metadata). The
 * full path's libraries travel as one nested jar that must hold nothing else, and the outer jar only
 * what the default path loads (its central directory is read at every JVM start).
 */
class AgentJarContentsIT {

    private static final String NESTED = "META-INF/autoreg/libraries.jar";
    /** The core's packages that only the full path uses: they travel in the nested jar (agent/pom.xml). */
    private static final List<String> CORE_FULL_PATH = List.of(
            "io/autoreg/agent/shaded/core/client/",
            "io/autoreg/agent/shaded/core/internal/backend/",
            "io/autoreg/agent/shaded/core/internal/http/");

    @Test
    void everyClassIsRelocatedUnderIoAutoregAgentAndNoResourceLeaks() throws IOException {
        List<String> offending = new ArrayList<>();
        int outerEntries;
        int nestedClasses = 0;
        try (JarFile jar = new JarFile(Artifacts.agentJar())) {
            List<JarEntry> entries = Collections.list(jar.entries());
            outerEntries = entries.size();
            for (JarEntry entry : entries) {
                if (!allowed(entry.getName())
                        && !entry.getName().equals(NESTED)
                        && !entry.getName().equals("META-INF/autoreg/")) {
                    offending.add(entry.getName());
                }
            }
            JarEntry nested = jar.getJarEntry(NESTED);
            assertTrue(nested != null, NESTED + " is inside");
            // the boot loader reads the outer classes without inflating them; the nested jar stays deflated
            List<String> deflatedClasses = entries.stream()
                    .filter(e -> e.getName().endsWith(".class") && e.getMethod() != ZipEntry.STORED)
                    .map(JarEntry::getName)
                    .toList();
            assertEquals(List.of(), deflatedClasses, "the outer jar's classes are stored");
            assertEquals(ZipEntry.DEFLATED, nested.getMethod(), NESTED + " is deflated");
            try (JarInputStream libraries = new JarInputStream(jar.getInputStream(nested))) {
                for (JarEntry entry; (entry = libraries.getNextJarEntry()) != null; ) {
                    String name = entry.getName();
                    if (name.endsWith(".class")) {
                        nestedClasses++;
                    }
                    if (!name.startsWith("io/autoreg/agent/shaded/") && !"io/autoreg/agent/shaded/".startsWith(name)
                            || name.startsWith("io/autoreg/agent/shaded/net/bytebuddy/")
                            || (name.startsWith("io/autoreg/agent/shaded/core/") && !inCoreFullPathOrAbove(name))
                            || !allowed(name)) {
                        offending.add(NESTED + "!/" + name);
                    }
                }
            }
        }
        assertTrue(
                offending.isEmpty(),
                "entries outside io/autoreg/agent/, misplaced or leaking to the host: " + offending);
        assertTrue(
                nestedClasses > 1000, "the shaded dependencies are in the nested jar (" + nestedClasses + " classes)");
        assertTrue(outerEntries < 200, "the outer jar keeps only the default path (" + outerEntries + " entries)");
    }

    /**
     * The core's full-path packages are loadable only once the nested jar is on a loader's search path
     * (BundledLibraries), which only {@code full.FullPath} arranges: no other class of the outer jar may name them,
     * nor may the outer jar hold them.
     */
    @Test
    void onlyTheFullPathNamesTheCoresPackagesInTheNestedJar() throws IOException {
        List<String> offending = new ArrayList<>();
        try (JarFile jar = new JarFile(Artifacts.agentJar())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (inCoreFullPath(name)) {
                    offending.add(name + " is in the outer jar");
                } else if (name.endsWith(".class") && !name.equals("io/autoreg/agent/full/FullPath.class")) {
                    String bytes = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                    for (String corePackage : CORE_FULL_PATH) {
                        if (bytes.contains(corePackage)) {
                            offending.add(name + " names " + corePackage);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), offending);
    }

    /** In the core's full-path packages, or a directory entry above them. */
    private static boolean inCoreFullPathOrAbove(String name) {
        for (String corePackage : CORE_FULL_PATH) {
            if (name.endsWith("/") && corePackage.startsWith(name)) {
                return true;
            }
        }
        return inCoreFullPath(name);
    }

    private static boolean inCoreFullPath(String name) {
        for (String corePackage : CORE_FULL_PATH) {
            if (name.startsWith(corePackage)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void manifestDeclaresTheAgentEntryPointsAndTheAttachCommand() throws IOException {
        try (JarFile jar = new JarFile(Artifacts.agentJar())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("io.autoreg.agent.AutoregAgent", main.getValue("Premain-Class"));
            assertEquals("io.autoreg.agent.AutoregAgent", main.getValue("Agent-Class"));
            assertEquals("true", main.getValue("Can-Retransform-Classes"));
            assertEquals("true", main.getValue("Can-Redefine-Classes"));
            assertEquals("io.autoreg.agent.attach.AttachMain", main.getValue("Main-Class"));
            assertTrue(
                    jar.getEntry("io/autoreg/agent/shaded/net/bytebuddy/jar/asm/ClassReader.class") != null,
                    "Byte Buddy's ASM is relocated");
            assertTrue(jar.getEntry("io/autoreg/agent/agent-defaults.conf") != null, "agent defaults");
            // the core, relocated, in the outer jar (the default path loads it), with its defaults beside its loader
            assertTrue(
                    jar.getEntry("io/autoreg/agent/shaded/core/internal/lifecycle/RegistrationManager.class") != null,
                    "the core is relocated");
            assertTrue(
                    jar.getEntry("io/autoreg/agent/shaded/core/internal/settings/autoreg-defaults.conf") != null,
                    "the core's defaults are relocated with it");
            assertTrue(
                    jar.getEntry("io/autoreg/core/internal/lifecycle/RegistrationManager.class") == null,
                    "no unrelocated core");
        }
    }

    private static boolean allowed(String name) {
        if (name.endsWith("/")) {
            return name.equals("META-INF/")
                    || "io/autoreg/agent/".startsWith(name)
                    || name.startsWith("io/autoreg/agent/");
        }
        if (name.equals("META-INF/MANIFEST.MF") || name.equals("META-INF/LICENSE") || name.equals("META-INF/NOTICE")) {
            return true;
        }
        return name.startsWith("io/autoreg/agent/")
                && !name.endsWith("module-info.class")
                && !name.endsWith("/reference.conf")
                && !name.endsWith("/application.conf")
                && !name.contains("META-INF");
    }
}
