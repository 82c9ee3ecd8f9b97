package io.autoreg.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.agent.testing.Artifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The agent jar lives on the host's class path: every class must sit under {@code io/autoreg/agent/}
 * (third-party code and autoreg's own core relocated to {@code io.autoreg.agent.shaded}, so a host app that
 * uses autoreg's client library keeps its own copy: HostCoreClientIT), and no resource the host could
 * pick up may leak (service files, {@code reference.conf}, {@code module-info}, Maven metadata). The
 * full path's libraries travel as one nested jar with the classes that link against them and nothing else, and
 * the outer jar holds only what the default path loads (its central directory is read at every JVM start).
 */
class AgentJarContentsIT {

    private static final String NESTED = "META-INF/autoreg/libraries.jar";
    /**
     * What travels in the nested jar besides the libraries (agent/pom.xml): the core's full path (its Java client,
     * backends and Typesafe Config reader) and the agent's door to it, all linking against the libraries.
     */
    private static final List<String> FULL_PATH = List.of(
            "io/autoreg/agent/shaded/core/client/",
            "io/autoreg/agent/shaded/core/internal/backend/",
            "io/autoreg/agent/shaded/core/internal/http/",
            "io/autoreg/agent/shaded/core/internal/settings/SettingsLoader",
            "io/autoreg/agent/shaded/core/internal/settings/SettingsReader",
            "io/autoreg/agent/shaded/core/internal/settings/SettingsValidator",
            "io/autoreg/agent/shaded/core/internal/settings/AutoregSettings",
            "io/autoreg/agent/shaded/core/internal/settings/UnknownKeys",
            "io/autoreg/agent/full/nested/");

    /**
     * The core's settings package is split: the full path's reader (nested jar, its own loader) and the rest (outer jar,
     * the boot loader) are two run-time packages, so what the reader reaches on the boot side must be public — a
     * package-private class there is an IllegalAccessError on the full path only (the agent then stays off). Checked
     * for the outer jar's top-level classes of that package, by the unshaded core's same-named classes.
     */
    @Test
    void theBootSideOfTheSplitSettingsPackageIsPublic() throws Exception {
        String shaded = "io/autoreg/agent/shaded/core/internal/settings/";
        List<String> notPublic = new ArrayList<>();
        int checked = 0;
        try (JarFile jar = new JarFile(Artifacts.agentJar())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!name.startsWith(shaded) || !name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                String simple = name.substring(shaded.length(), name.length() - ".class".length());
                Class<?> core = Class.forName("io.autoreg.core.internal.settings." + simple);
                checked++;
                if (!java.lang.reflect.Modifier.isPublic(core.getModifiers())) {
                    notPublic.add(simple);
                }
            }
        }
        assertTrue(checked > 5, "the boot side's settings classes were found: " + checked);
        assertEquals(List.of(), notPublic, "reached across the split by the full path's reader, they must be public");
    }

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
                    boolean library = name.startsWith("io/autoreg/agent/shaded/")
                            && !name.startsWith("io/autoreg/agent/shaded/core/")
                            && !name.startsWith("io/autoreg/agent/shaded/net/bytebuddy/");
                    if (!(library || inFullPathOrAbove(name)) || !allowed(name)) {
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
     * The nested jar's classes are loaded by a class loader of their own (BundledLibraries), whose parent loads the
     * outer jar: no class of the outer jar may link against one of them (it could not resolve it, and the boot loader
     * would fail the full path), and the outer jar may not hold them. BundledLibraries names the door class only as
     * a string with dots, for the reflective lookup through that loader.
     */
    @Test
    void noClassOfTheOuterJarNamesAClassOfTheNestedJar() throws IOException {
        List<String> offending = new ArrayList<>();
        try (JarFile jar = new JarFile(Artifacts.agentJar())) {
            Set<String> nested = new HashSet<>();
            try (JarInputStream libraries = new JarInputStream(jar.getInputStream(jar.getJarEntry(NESTED)))) {
                for (JarEntry entry; (entry = libraries.getNextJarEntry()) != null; ) {
                    if (entry.getName().endsWith(".class")) {
                        nested.add(entry.getName().substring(0, entry.getName().length() - ".class".length()));
                    }
                }
            }
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (inFullPath(name)) {
                    offending.add(name + " is in the outer jar");
                } else if (name.endsWith(".class")) {
                    String bytes = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                    Matcher named = INTERNAL_NAME.matcher(bytes);
                    while (named.find()) {
                        if (nested.contains(named.group())) {
                            offending.add(name + " names " + named.group());
                        }
                    }
                }
            }
            assertTrue(nested.contains("io/autoreg/agent/full/nested/CoreFullPath"), "the door is in the nested jar");
        }
        assertEquals(List.of(), offending);
    }

    /** A class's internal name as its constant pool spells it, alone or in a descriptor ({@code L...;}). */
    private static final Pattern INTERNAL_NAME = Pattern.compile("io/autoreg/agent/[A-Za-z0-9_$/]+");

    /** In the full path, or a directory entry above it. */
    private static boolean inFullPathOrAbove(String name) {
        for (String prefix : FULL_PATH) {
            if (name.endsWith("/") && prefix.startsWith(name)) {
                return true;
            }
        }
        return inFullPath(name);
    }

    private static boolean inFullPath(String name) {
        for (String prefix : FULL_PATH) {
            if (name.startsWith(prefix)) {
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
