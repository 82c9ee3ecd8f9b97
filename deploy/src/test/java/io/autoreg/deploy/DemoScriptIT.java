package io.autoreg.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * README's first command, {@code ./demo.sh --once}, as a user runs it on the jars this build just packaged: the
 * registry, the sample app under the agent and the sidecar beside a second sample app, and the table of what got
 * registered, listed the moment both are there and again after their first heartbeat.
 */
class DemoScriptIT {

    private static final Path ROOT = Manifests.root();

    @Test
    void theDemoRegistersBothServicesAndShowsThemPassingAfterTheirFirstHeartbeat()
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("autoreg-demo", ".log");
        Process demo = new ProcessBuilder(ROOT.resolve("demo.sh").toString(), "--once")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            boolean done = demo.waitFor(3, TimeUnit.MINUTES);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(done, "demo.sh --once still running after 3 minutes:\n" + text);
            assertEquals(0, demo.exitValue(), text);
            // The jars are this build's: the demo must not build them again from inside the build.
            assertFalse(text.contains("building ("), text);
            int second = text.indexOf("after their first heartbeat:");
            assertTrue(second > 0, text);
            List<String> listed = text.substring(0, second).lines().toList();
            assertTrue(
                    listed.stream().anyMatch(l -> l.matches("orders-\\S+ +orders +127\\.0\\.0\\.1:\\d+ .*demo,jvm")),
                    text);
            assertTrue(
                    listed.stream()
                            .anyMatch(l -> l.matches("payments-\\S+ +payments +127\\.0\\.0\\.1:\\d+ .*demo,sidecar")),
                    text);
            List<String> beaten = text.substring(second).lines().toList();
            assertTrue(
                    beaten.stream().anyMatch(l -> l.matches("orders-\\S+ +orders +\\S+ +passing +\\d+s ago +demo,jvm")),
                    text);
            assertTrue(
                    beaten.stream()
                            .anyMatch(
                                    l -> l.matches("payments-\\S+ +payments +\\S+ +passing +\\d+s ago +demo,sidecar")),
                    text);
        } finally {
            // demo.sh stops the registry, both apps and the sidecar on TERM (its trap); anything left is killed
            demo.destroy();
            if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                demo.descendants().forEach(ProcessHandle::destroyForcibly);
                demo.destroyForcibly();
            }
            Files.deleteIfExists(output);
        }
    }
}
