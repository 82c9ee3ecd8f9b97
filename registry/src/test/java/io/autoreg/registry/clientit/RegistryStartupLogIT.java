package io.autoreg.registry.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.RegistryServer;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI prints one structured start line (and warnings), not Undertow's or XNIO's INFO lines; the
 * embedded server leaves the host's logging alone.
 */
class RegistryStartupLogIT {

    @Test
    void theCliPrintsOnlyItsStartLineAndWarningsThenItsStopLine(@TempDir Path dir) throws Exception {
        try (RegistryChild child = new RegistryChild(dir).start()) {
            child.stop();
            List<String> lines =
                    child.output().lines().filter(l -> !l.isBlank()).toList();
            assertTrue(
                    lines.get(0)
                            .matches(
                                    "autoreg-registry started bind=127\\.0\\.0\\.1 port=\\d+ data=\\S+ auth=open url=\\S+"),
                    lines::toString);
            assertTrue(lines.get(lines.size() - 1).startsWith("autoreg-registry stopped port="), lines::toString);
            for (String line : lines.subList(1, lines.size() - 1)) {
                assertTrue(line.startsWith("WARNING: autoreg-registry"), () -> "not ours: " + line + " in " + lines);
            }
        }
    }

    @Test
    void anEmbeddedServerDoesNotChangeTheHostsLogLevels(@TempDir Path dir) {
        List<String> names = List.of("io.undertow", "org.xnio", "org.jboss.threads");
        Logger[] loggers = names.stream().map(Logger::getLogger).toArray(Logger[]::new);
        Level[] before = new Level[loggers.length];
        for (int i = 0; i < loggers.length; i++) {
            before[i] = loggers[i].getLevel();
        }
        try (RegistryServer server = RegistryServer.builder()
                .port(0)
                .bind("127.0.0.1")
                .dataDir(dir)
                .build()
                .start()) {
            assertTrue(server.port() > 0);
            for (int i = 0; i < loggers.length; i++) {
                assertEquals(before[i], loggers[i].getLevel(), names.get(i));
            }
        }
    }
}
