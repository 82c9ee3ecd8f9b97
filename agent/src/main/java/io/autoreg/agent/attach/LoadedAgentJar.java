package io.autoreg.agent.attach;

import io.autoreg.agent.AutoregAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Whether a running JVM has the autoreg agent already, from the files it holds open ({@code /proc/PID/fd}): a JVM
 * that runs the agent keeps its jar open for good — the boot loader's class path when it was given with
 * {@code -javaagent}, the system class loader's for a renamed jar or one loaded by {@code attach}. The jar is known
 * by its manifest ({@code Premain-Class} or {@code Agent-Class} naming the agent's class), not by its name, so a
 * copy under another name or of another release counts too.
 *
 * <p>Why before attaching: the agent runs once per JVM and ignores a second load, saying so on the application's
 * stderr only; {@code attach} itself would have reported "loaded". Where there is no {@code /proc}, or its
 * descriptors cannot be read, nothing is found and the agent's own refusal stays the answer.
 */
final class LoadedAgentJar {

    /** The agent's entry point, as both manifests name it. */
    static final String AGENT_CLASS = AutoregAgent.class.getName();

    private LoadedAgentJar() {}

    /**
     * The agent jar the process holds open, as its descriptor names it, or null. The agent jar itself is named before
     * {@code attach}'s launcher jar, which the process also holds once loaded through it, deleted ({@code " (deleted)"}
     * ends its name).
     *
     * @param process {@code /proc/PID}, or a copy of its layout in tests
     */
    static String in(Path process) {
        Path fdDirectory = process.resolve("fd");
        String[] fds = fdDirectory.toFile().list();
        if (fds == null) {
            return null;
        }
        String launcher = null;
        for (String fd : fds) {
            Path link = fdDirectory.resolve(fd);
            String target;
            try {
                target = Files.readSymbolicLink(link).toString();
            } catch (IOException | RuntimeException closedOrNotALink) {
                continue;
            }
            if (!target.endsWith(".jar") && !target.endsWith(".jar (deleted)")) {
                continue;
            }
            Attributes manifest = manifestOf(link);
            if (manifest != null && AGENT_CLASS.equals(manifest.getValue("Premain-Class"))) {
                return target;
            }
            if (manifest != null && AGENT_CLASS.equals(manifest.getValue("Agent-Class")) && launcher == null) {
                launcher = target;
            }
        }
        return launcher;
    }

    /** Read through the descriptor itself: it opens the file the process has, even one deleted or replaced since. */
    private static Attributes manifestOf(Path descriptor) {
        try (JarFile jar = new JarFile(descriptor.toFile(), false)) {
            Manifest manifest = jar.getManifest();
            return manifest == null ? null : manifest.getMainAttributes();
        } catch (IOException | RuntimeException notAJar) {
            return null;
        }
    }
}
