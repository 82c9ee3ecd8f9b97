package io.autoreg.registry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.RegistryServer;
import io.autoreg.testing.Http;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two registries on one data dir: the second refuses in one line, the first keeps every write. */
class DataDirLockTest {
    @TempDir
    Path data;

    @Test
    void aSecondServerOnTheSameDataDirRefusesNamingTheDirAndTheHolderAndTheFirstKeepsItsWrites() {
        try (RegistryServer first =
                RegistryServer.builder().port(0).dataDir(data).build().start()) {
            Http http = new Http(first.baseUrl());
            assertEquals(
                    204,
                    http.put("/v1.0/t/configuration/before", "{\"value\":\"1\"}")
                            .status());

            RegistryServer second =
                    RegistryServer.builder().port(0).dataDir(data).build();
            UncheckedIOException refused = assertThrows(UncheckedIOException.class, second::start);
            String line = refused.getMessage();
            assertFalse(line.contains("\n"), line);
            assertTrue(
                    line.contains("data dir " + data.toAbsolutePath() + " is in use by another registry (pid "
                            + ProcessHandle.current().pid()),
                    line);

            assertEquals(
                    204,
                    http.put("/v1.0/t/configuration/after", "{\"value\":\"2\"}").status());
        }
        try (RegistryServer again =
                RegistryServer.builder().port(0).dataDir(data).build().start()) {
            Http http = new Http(again.baseUrl());
            assertEquals(
                    "1",
                    http.get("/v1.0/t/configuration/before").json().get("value").asText());
            assertEquals(
                    "2",
                    http.get("/v1.0/t/configuration/after").json().get("value").asText(),
                    "the lock is released on close, and nothing the first server acknowledged was lost");
        }
    }
}
