package io.autoreg.agent;

import io.autoreg.agent.testing.Artifacts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent jar lives on the host's class path: every class must sit under {@code io/autoreg/}
 * (third-party code relocated to {@code io.autoreg.agent.shaded}), and no resource the host could
 * pick up may leak (service files, {@code reference.conf}, {@code module-info}, Maven metadata).
 */
class AgentJarContentsIT {

    @Test
    void everyClassIsRelocatedUnderIoAutoregAndNoResourceLeaks() throws IOException {
        List<String> offending = new ArrayList<>();
        int classes = 0;
        try (JarFile jar = new JarFile(Artifacts.agentJar())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.endsWith(".class")) {
                    classes++;
                }
                if (!allowed(name)) {
                    offending.add(name);
                }
            }
        }
        assertTrue(offending.isEmpty(), "entries outside io/autoreg/ or leaking to the host: " + offending);
        assertTrue(classes > 1000, "the shaded dependencies are inside (" + classes + " classes)");
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
            assertTrue(jar.getEntry("io/autoreg/agent/shaded/net/bytebuddy/jar/asm/ClassReader.class") != null,
                    "Byte Buddy's ASM is relocated");
            assertTrue(jar.getEntry("io/autoreg/agent/agent-defaults.conf") != null, "agent defaults");
        }
    }

    private static boolean allowed(String name) {
        if (name.endsWith("/")) {
            return name.equals("META-INF/") || "io/autoreg/".startsWith(name) || name.startsWith("io/autoreg/");
        }
        if (name.equals("META-INF/MANIFEST.MF") || name.equals("META-INF/LICENSE") || name.equals("META-INF/NOTICE")) {
            return true;
        }
        return name.startsWith("io/autoreg/")
                && !name.endsWith("module-info.class")
                && !name.endsWith("/reference.conf") && !name.endsWith("/application.conf")
                && !name.contains("META-INF");
    }
}
