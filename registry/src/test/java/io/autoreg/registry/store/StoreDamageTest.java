package io.autoreg.registry.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.RegistryServer;
import io.autoreg.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage on disk as an operator meets it: a real registry writes, the files are damaged between runs,
 * and the next start either trims a torn tail (and says so) or refuses in one line naming the file and
 * offset, leaving the file as it was. Never a silent cut, never a deleted file.
 */
class StoreDamageTest {
    private static final int VALUES = 40;

    @TempDir
    Path data;

    private Path journalDir() {
        return data.resolve("journal");
    }

    /** Stores VALUES configuration values, each acknowledged (204), then stops. */
    private void writeValues() {
        try (RegistryServer server =
                RegistryServer.builder().port(0).dataDir(data).build().start()) {
            Http http = new Http(server.baseUrl());
            for (int i = 0; i < VALUES; i++) {
                assertEquals(
                        204,
                        http.put("/v1.0/t/configuration/key-" + i, "{\"value\":\"value-" + i + "\"}")
                                .status());
            }
        }
    }

    private int valuesFound() {
        try (RegistryServer server =
                RegistryServer.builder().port(0).dataDir(data).build().start()) {
            Http http = new Http(server.baseUrl());
            int found = 0;
            for (int i = 0; i < VALUES; i++) {
                Http.Response answer = http.get("/v1.0/t/configuration/key-" + i);
                if (answer.status() == 200
                        && answer.json().get("value").asText().equals("value-" + i)) {
                    found++;
                }
            }
            return found;
        }
    }

    private Path newest(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(journalDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .max(Path::compareTo)
                    .orElseThrow();
        }
    }

    private static void flip16(Path file, long at) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < 16; i++) {
            bytes[(int) at + i] ^= (byte) 0xff;
        }
        Files.write(file, bytes);
    }

    /** The offsets at which framed records start, up to the end of the file. */
    private static List<Long> frameStarts(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        List<Long> starts = new ArrayList<>();
        while (bytes.remaining() >= 8) {
            starts.add((long) bytes.position());
            int length = bytes.getInt();
            bytes.position(bytes.position() + 4 + length);
        }
        return starts;
    }

    private static String refusal(RegistryServer server) {
        UncheckedIOException refused =
                assertThrows(UncheckedIOException.class, server::start, "the start must be refused");
        String line = refused.getMessage();
        assertFalse(line.contains("\n"), "one line: " + line);
        return line;
    }

    /** Runs {@code action} and returns it with what it printed on stderr. */
    private static <T> String stderrOf(Supplier<T> action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.get();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    @Test
    void bytesFlippedInTheMiddleOfTheJournalStopTheStartWithTheFileAndOffsetAndTheFileIsKept() throws IOException {
        writeValues();
        Path journal = newest(".log");
        long size = Files.size(journal);
        long badRecord = frameStarts(journal).get(VALUES / 2);
        flip16(journal, badRecord + 3);
        byte[] damaged = Files.readAllBytes(journal);

        String line = refusal(RegistryServer.builder().port(0).dataDir(data).build());

        assertTrue(line.contains("journal damaged: " + journal.toAbsolutePath()), line);
        assertTrue(line.contains("bad record at offset " + badRecord), line);
        assertTrue(line.contains("truncate -s"), "says how to accept the loss: " + line);
        assertEquals(size, Files.size(journal), "nothing is cut");
        assertArrayEquals(damaged, Files.readAllBytes(journal), "the file is left as it was");
        assertTrue(Files.exists(newest(".snap")), "the snapshot stays too");
    }

    @Test
    void garbageAfterTheLastRecordIsATornTailThatIsTrimmedAndLogged() throws IOException {
        writeValues();
        Path journal = newest(".log");
        long intact = Files.size(journal);
        byte[] garbage = new byte[37];
        Arrays.fill(garbage, (byte) 0xab);
        Files.write(journal, garbage, java.nio.file.StandardOpenOption.APPEND);

        int[] found = new int[1];
        String log = stderrOf(() -> found[0] = valuesFound());

        assertEquals(VALUES, found[0], "every intact record is kept");
        assertTrue(
                log.contains(
                        "trimming a torn tail of 37 bytes at offset " + intact + " of " + journal.toAbsolutePath()),
                log);
    }

    @Test
    void aLastRecordCutShortIsATornTailThatIsTrimmedAndLogged() throws IOException {
        writeValues();
        Path journal = newest(".log");
        List<Long> starts = frameStarts(journal);
        long lastStart = starts.get(starts.size() - 1);
        try (var channel = java.nio.channels.FileChannel.open(journal, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(journal) - 5);
        }

        int[] found = new int[1];
        String log = stderrOf(() -> found[0] = valuesFound());

        // Each value is two records (the value, then its event): the cut one is the last value's event.
        assertEquals(VALUES, found[0], "every whole record is kept");
        assertTrue(log.contains("trimming a torn tail") && log.contains("at offset " + lastStart), log);
    }

    @Test
    void aBadEndOfAJournalThatALaterJournalFollowsIsDamageNotATornTail() throws IOException {
        writeValues();
        Path journal = newest(".log");
        List<Long> starts = frameStarts(journal);
        long lastStart = starts.get(starts.size() - 1);
        flip16(journal, Files.size(journal) - 16);
        // A crash in the middle of a compaction leaves the next journal created, still empty.
        String next = journal.getFileName().toString().replace("1.log", "2.log");
        Files.createFile(journal.resolveSibling(next));

        String line = refusal(RegistryServer.builder().port(0).dataDir(data).build());

        assertTrue(
                line.contains("journal damaged: " + journal.toAbsolutePath() + " ends in a bad record at offset "
                        + lastStart + " though a later journal follows"),
                line);
        assertEquals(starts.size(), frameStarts(journal).size(), "nothing is cut");
    }

    /** A second start writes a snapshot of everything; then the journals before it are gone. */
    private Path snapshotOfAllValues() throws IOException {
        writeValues();
        try (RegistryServer server =
                RegistryServer.builder().port(0).dataDir(data).build().start()) {
            assertEquals(
                    200,
                    new Http(server.baseUrl())
                            .get("/v1.0/t/configuration/key-0")
                            .status());
        }
        return newest(".snap");
    }

    @Test
    void bytesFlippedInsideASnapshotStopTheStartAndTheSnapshotIsNotDeleted() throws IOException {
        Path snapshot = snapshotOfAllValues();
        flip16(snapshot, Files.size(snapshot) / 2);
        byte[] damaged = Files.readAllBytes(snapshot);

        String line = refusal(RegistryServer.builder().port(0).dataDir(data).build());

        assertTrue(
                line.contains("snapshot damaged: " + snapshot.toAbsolutePath() + " fails its checksum at offset "),
                line);
        assertTrue(Files.exists(snapshot), "the damaged snapshot is not deleted");
        assertArrayEquals(damaged, Files.readAllBytes(snapshot), "and left as it was");
    }

    @Test
    void aSnapshotThatLostItsEndAtARecordBoundaryFailsItsWholeFileChecksum() throws IOException {
        Path snapshot = snapshotOfAllValues();
        long half = frameStarts(snapshot).get(VALUES / 2);
        try (var channel = java.nio.channels.FileChannel.open(snapshot, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(half);
        }

        String line = refusal(RegistryServer.builder().port(0).dataDir(data).build());

        assertTrue(line.contains("snapshot damaged: " + snapshot.toAbsolutePath()), line);
        assertEquals(half, Files.size(snapshot), "the file is kept as found");
    }

    @Test
    void aSnapshotOfTheOlderFormatWithoutAWholeFileChecksumIsStillRead() throws IOException {
        Path snapshot = snapshotOfAllValues();
        List<Long> starts = frameStarts(snapshot);
        byte[] bytes = Files.readAllBytes(snapshot);
        // The older format: the same framed records, without the header and trailer frames.
        Files.write(
                snapshot,
                Arrays.copyOfRange(
                        bytes,
                        starts.get(1).intValue(),
                        starts.get(starts.size() - 1).intValue()));

        int[] found = new int[1];
        String log = stderrOf(() -> found[0] = valuesFound());

        assertEquals(VALUES, found[0]);
        assertTrue(log.contains("without a whole-file checksum"), log);
    }
}
