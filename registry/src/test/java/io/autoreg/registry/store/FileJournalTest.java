package io.autoreg.registry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autoreg.registry.metrics.Metrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
    @TempDir
    Path dir;

    /** A toy state: the list of records applied, snapshotted as itself. */
    private final List<String> state = new CopyOnWriteArrayList<>();

    private FileJournal open() throws IOException {
        state.clear();
        return FileJournal.open(
                dir,
                new Metrics(),
                1 << 20,
                r -> state.add(new String(r, StandardCharsets.UTF_8)),
                out -> state.forEach(s -> out.accept(s.getBytes(StandardCharsets.UTF_8))));
    }

    private static void appendAll(FileJournal journal, List<String> records, List<String> state) throws Exception {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (String r : records) {
            state.add(r);
            acks.add(journal.append(r.getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void acknowledgedRecordsAreReplayedAfterReopening() throws Exception {
        FileJournal journal = open();
        appendAll(journal, List.of("a", "b", "c"), state);
        journal.close();
        FileJournal reopened = open();
        assertEquals(List.of("a", "b", "c"), state);
        appendAll(reopened, List.of("d"), state);
        reopened.close();
        open().close();
        assertEquals(List.of("a", "b", "c", "d"), state);
    }

    @Test
    void aTornTailIsTruncatedAndTheIntactRecordsSurvive() throws Exception {
        FileJournal journal = open();
        appendAll(journal, List.of("one", "two"), state);
        Path file = dir.resolve(Recovery.journalName(journal.sequence()));
        // Simulate a crash mid-write: a header promising 100 bytes followed by only 3.
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.APPEND)) {
            out.write(ByteBuffer.allocate(11)
                    .putInt(100)
                    .putInt(42)
                    .put("abc".getBytes(StandardCharsets.US_ASCII))
                    .flip());
        }
        journal.close();
        List<String> read = new ArrayList<>();
        long intact = Recovery.read(file, r -> read.add(new String(r, StandardCharsets.UTF_8)), true);
        assertEquals(List.of("one", "two"), read);
        assertEquals(intact, Files.size(file), "the torn tail was truncated");
        open().close();
        assertEquals(List.of("one", "two"), state);
    }

    @Test
    void aRecordWithABadChecksumEndsTheReplay() throws Exception {
        FileJournal journal = open();
        appendAll(journal, List.of("good", "flipped"), state);
        Path file = dir.resolve(Recovery.journalName(journal.sequence()));
        journal.close();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(file, bytes);
        open().close();
        assertEquals(List.of("good"), state);
    }

    @Test
    void aReadWaitingForTheRecordsAcceptedBeforeItRunsOnlyOnceTheyAreStored() throws Exception {
        FileJournal journal = open();
        try {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                acks.add(journal.append(("r" + i).getBytes(StandardCharsets.UTF_8)));
            }
            long upTo = journal.accepted();
            CompletableFuture<Boolean> allStoredWhenRun = new CompletableFuture<>();
            journal.whenSettled(
                    upTo, () -> allStoredWhenRun.complete(acks.stream().allMatch(CompletableFuture::isDone)));
            assertTrue(
                    allStoredWhenRun.get(10, TimeUnit.SECONDS),
                    "ran before every record accepted before it was stored");
            CompletableFuture<Void> now = new CompletableFuture<>();
            journal.whenSettled(journal.accepted(), () -> now.complete(null));
            now.get(10, TimeUnit.SECONDS);
        } finally {
            journal.close();
        }
    }

    @Test
    void compactionKeepsTheStateInASnapshotAndDropsOldJournals() throws Exception {
        FileJournal journal = open();
        appendAll(journal, List.of("x", "y"), state);
        long before = journal.sequence();
        journal.compactSoon();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (journal.sequence() == before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        appendAll(journal, List.of("z"), state);
        journal.close();
        assertTrue(Files.notExists(dir.resolve(Recovery.journalName(before))));
        open().close();
        assertEquals(List.of("x", "y", "z"), state);
    }
}
