package io.autoreg.registry.store;

import io.autoreg.registry.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * An fsync'd append-only journal with group commit on one writer thread, plus snapshots.
 *
 * <p>Files: {@code snapshot-N.snap} holds the whole state as of the start of {@code journal-N.log}.
 * Both use the same framing: {@code [int length][int crc32c][length bytes]}; a snapshot also carries a
 * checksum of the whole file ({@link SnapshotFormat}). Recovery loads the newest snapshot and replays
 * the journals from its number on ({@link Recovery}). Records are idempotent state changes, so a record
 * that is in both a snapshot and the journal after it replays harmlessly.
 *
 * <p>A failed write (a full disk) returns the journal to its last good offset, so what is appended
 * later is never stuck behind a partial record; the {@link Rollback} then rebuilds the state from the
 * disk, and every write of the failed batch, or made on the state before the rebuild, is refused.
 */
public final class FileJournal implements Journal, AutoCloseable {
    private static final int MAX_RECORD = 64 * 1024 * 1024;
    /** Room kept beyond a snapshot's size, so the journal can go on after it. */
    private static final long SPACE_RESERVE = 1 << 20;

    private static final long COMPACT_RETRY_NANOS = 60_000_000_000L;
    private final Path dir;
    private final Metrics metrics;
    private final long compactAfterBytes;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Held shared while a change appends its records, exclusively while the writer takes a batch. */
    private final ReentrantReadWriteLock groups = new ReentrantReadWriteLock();
    /** Records accepted into the queue, and how many of them the writer has finished with (stored or refused). */
    private final AtomicLong accepted = new AtomicLong();

    private volatile long settled;
    private long taken;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    private volatile Consumer<Consumer<byte[]>> snapshotSource;
    private volatile Rollback rollback;
    private FileChannel channel;
    private long sequence;
    /** The length of the current journal up to its last fsync'd record: where a failed write is cut back to. */
    private long written;

    private long nextCompactAttempt = System.nanoTime();
    private volatile long epoch;
    private volatile boolean running = true;
    private volatile boolean compactRequested;
    private volatile boolean failing;
    private volatile boolean broken;
    private volatile RuntimeException refusal;

    private record Pending(byte[] record, long epoch, CompletableFuture<Void> done) {}

    private record Waiter(long upTo, Runnable then, AtomicBoolean ran) {
        void run() {
            if (ran.compareAndSet(false, true)) {
                then.run();
            }
        }
    }

    /** Rebuilds the in-memory state from what is on disk after a failed write; new writes carry {@code epoch}. */
    public interface Rollback {
        void rebuild(long epoch) throws IOException;
    }

    private FileJournal(Path dir, Metrics metrics, long compactAfterBytes) {
        this.dir = dir;
        this.metrics = metrics;
        this.compactAfterBytes = compactAfterBytes;
        this.writer = new Thread(this::writeLoop, "autoreg-journal");
        this.writer.setDaemon(true);
    }

    /**
     * Replays the data dir into {@code apply}, then writes a fresh snapshot from {@code snapshotSource}
     * (the state just rebuilt) and starts a new journal, if the disk has room for it; otherwise it goes on
     * appending to the newest journal, so a start on a full disk needs no space at all.
     */
    public static FileJournal open(
            Path dir,
            Metrics metrics,
            long compactAfterBytes,
            Consumer<byte[]> apply,
            Consumer<Consumer<byte[]>> snapshotSource)
            throws IOException {
        Files.createDirectories(dir);
        deleteUnfinishedSnapshots(dir);
        FileJournal journal = new FileJournal(dir, metrics, compactAfterBytes);
        journal.snapshotSource = snapshotSource;
        journal.sequence = Recovery.replay(dir, apply).sequence();
        journal.startWriting();
        journal.writer.start();
        return journal;
    }

    /** Replays the data dir into {@code apply} again (a rollback), without writing anything. */
    public void replayInto(Consumer<byte[]> apply) throws IOException {
        Recovery.replay(dir, apply);
    }

    public void rollback(Rollback rollback) {
        this.rollback = rollback;
    }

    /** The epoch writes of the current state carry (see {@link #append(byte[], long)}). */
    public long epoch() {
        return epoch;
    }

    @Override
    public CompletableFuture<Void> append(byte[] record) {
        return append(record, epoch);
    }

    /** Appends a record made on the state of {@code epoch}; refused if that state was rolled back since. */
    public CompletableFuture<Void> append(byte[] record, long epoch) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IOException("journal closed"));
            return done;
        }
        if (broken || epoch != this.epoch) {
            done.completeExceptionally(refusal);
            return done;
        }
        accepted.incrementAndGet();
        queue.add(new Pending(record, epoch, done));
        return done;
    }

    /** How many records were accepted so far: a read waits until the writer has settled them ({@link #whenSettled}). */
    public long accepted() {
        return accepted.get();
    }

    public boolean settled(long upTo) {
        return settled >= upTo;
    }

    /**
     * Runs {@code then} once the writer has stored or refused the first {@code upTo} records: a read that
     * waits for this shows no change that is not yet on disk, or that a failed write is about to roll back.
     */
    public void whenSettled(long upTo, Runnable then) {
        Waiter waiter = new Waiter(upTo, then, new AtomicBoolean());
        if (settled >= upTo || !running) {
            waiter.run();
            return;
        }
        waiters.add(waiter);
        if (settled >= upTo || !running) { // settled (or closed) meanwhile: the writer may have missed it
            waiters.remove(waiter);
            waiter.run();
        }
    }

    /** After a batch was stored or refused (its records are counted in {@code taken} as it is taken). */
    private void settle() {
        settled = taken;
        if (!waiters.isEmpty()) {
            for (Waiter waiter : waiters) {
                if (waiter.upTo() <= taken && waiters.remove(waiter)) {
                    waiter.run();
                }
            }
        }
    }

    @Override
    public <T> T together(Supplier<T> appends) {
        groups.readLock().lock();
        try {
            return appends.get();
        } finally {
            groups.readLock().unlock();
        }
    }

    /** Asks the writer to snapshot and start a new journal soon (tests, and the size trigger). */
    public void compactSoon() {
        compactRequested = true;
        queue.add(new Pending(null, epoch, new CompletableFuture<>()));
    }

    public long sequence() {
        return sequence;
    }

    /** False once a write failed (until a later batch succeeds) or after close. */
    public boolean healthy() {
        return running && writer.isAlive() && !failing && !broken;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(1024);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.take();
                batch.add(first);
                groups.writeLock().lock();
                try {
                    queue.drainTo(batch); // all of it: a limit could split a change from its event
                } finally {
                    groups.writeLock().unlock();
                }
                long started = System.nanoTime();
                for (Pending p : batch) {
                    if (p.record() != null) {
                        taken++;
                    }
                }
                long current = epoch;
                int records = 0;
                for (int i = 0; i < batch.size(); i++) {
                    Pending p = batch.get(i);
                    if (p.record() != null && (broken || p.epoch() != current)) {
                        // Made on a state that was rolled back (or the journal cannot go on): never written.
                        p.done().completeExceptionally(refusal);
                        batch.set(i, new Pending(null, current, p.done()));
                    } else if (p.record() != null) {
                        buffer = frame(buffer, p.record());
                        records++;
                    }
                }
                buffer.flip();
                try {
                    if (records > 0) {
                        long at = written;
                        while (buffer.hasRemaining()) {
                            at += channel.write(buffer);
                        }
                        channel.force(false);
                        written = at;
                    }
                } catch (IOException e) {
                    failed(e, batch);
                    settle();
                    batch.clear();
                    buffer.clear();
                    continue;
                }
                buffer.clear();
                if (records > 0) {
                    metrics.journalCommit(records, System.nanoTime() - started);
                    if (failing) {
                        failing = false;
                        System.err.println(
                                "[autoreg] registry: the journal stores writes again in " + dir.toAbsolutePath());
                    }
                }
                for (Pending p : batch) {
                    p.done().complete(null);
                }
                settle();
                batch.clear();
                if ((compactRequested || written > compactAfterBytes)
                        && !broken
                        && System.nanoTime() - nextCompactAttempt >= 0) {
                    compactRequested = false;
                    compact();
                }
            } catch (InterruptedException e) {
                if (!running) {
                    continue;
                }
            } catch (RuntimeException e) {
                System.err.println("[autoreg] registry: journal writer error: " + e);
                for (Pending p : batch) {
                    p.done().completeExceptionally(e);
                }
                settle();
                batch.clear();
                buffer.clear();
            }
        }
    }

    /**
     * A batch could not be written or synced: cut the journal back to its last good offset, so later
     * records are not appended behind a partial one; rebuild the state from the disk, so nothing of the
     * batch stays visible; then refuse the batch and every write made on the state before the rebuild.
     */
    private void failed(IOException e, List<Pending> batch) {
        refusal = StoreFailure.refusal(e, dir);
        if (!failing) {
            System.err.println("[autoreg] registry: " + StoreFailure.hint(e, dir, written));
        }
        failing = true;
        try {
            channel.truncate(written);
            channel.position(written);
            channel.force(true);
        } catch (IOException | RuntimeException t) {
            brokenBy("cannot cut the journal back to its last good offset " + written + " after a failed write (" + t
                    + ")");
        }
        epoch++;
        Rollback r = rollback;
        if (r != null) {
            try {
                r.rebuild(epoch);
            } catch (IOException | RuntimeException t) {
                brokenBy("cannot rebuild the state from the disk after a failed write (" + t + ")");
            }
        }
        for (Pending p : batch) {
            p.done().completeExceptionally(refusal);
        }
    }

    private void brokenBy(String why) {
        broken = true;
        System.err.println("[autoreg] registry: the journal in " + dir.toAbsolutePath() + " refuses every write: " + why
                + "; restart the registry once the disk is writable (what was acknowledged is on disk)");
    }

    /** At start: a snapshot and a new journal if there is room for them, else the newest journal goes on. */
    private void startWriting() throws IOException {
        long needed = snapshotBytes() + SPACE_RESERVE;
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free >= needed) {
            try {
                rotateAndSnapshot();
                return;
            } catch (IOException | UncheckedIOException e) {
                System.err.println("[autoreg] registry: the start-up snapshot failed (" + e.getMessage() + ")");
            }
        } else {
            System.err.println("[autoreg] registry: " + free + " bytes free in " + dir.toAbsolutePath()
                    + ", a start-up snapshot needs " + needed
                    + ": starting without one; writes are refused with 503 while"
                    + " the disk is full, reads and heartbeats go on");
        }
        continueNewestJournal();
    }

    private void continueNewestJournal() throws IOException {
        if (sequence == 0) {
            sequence = 1;
        }
        Path file = dir.resolve(Recovery.journalName(sequence));
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            written = channel.size();
            channel.position(written);
        } catch (IOException e) {
            throw new StoreRefusal("cannot open the journal " + file.toAbsolutePath() + " for writing: "
                    + e.getMessage() + "; refusing to start");
        }
    }

    private long snapshotBytes() {
        long[] bytes = {256};
        snapshotSource.accept(record -> bytes[0] += record.length + Recovery.Frames.HEADER);
        return bytes[0];
    }

    /** A snapshot and a new journal, when there is room for it; else retried a minute later. */
    private void compact() {
        long needed = snapshotBytes() + SPACE_RESERVE;
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < needed) {
                System.err.println("[autoreg] registry: compaction postponed: " + free + " bytes free in "
                        + dir.toAbsolutePath() + ", a snapshot needs " + needed);
                nextCompactAttempt = System.nanoTime() + COMPACT_RETRY_NANOS;
                return;
            }
            rotateAndSnapshot();
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[autoreg] registry: compaction failed, the journal goes on (" + e.getMessage() + ")");
            nextCompactAttempt = System.nanoTime() + COMPACT_RETRY_NANOS;
        }
    }

    static ByteBuffer frame(ByteBuffer buffer, byte[] record) {
        if (buffer.remaining() < record.length + 8) {
            ByteBuffer bigger =
                    ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + record.length + 8));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        CRC32C crc = new CRC32C();
        crc.update(record);
        buffer.putInt(record.length).putInt((int) crc.getValue()).put(record);
        return buffer;
    }

    /**
     * Starts journal N+1 and writes snapshot N+1 (the state at that point), then drops older files. On a
     * failure nothing changes: the unfinished files are removed and the current journal goes on.
     */
    private void rotateAndSnapshot() throws IOException {
        long next = sequence + 1;
        Path tmp = dir.resolve("snapshot-" + next + ".tmp");
        Path journalFile = dir.resolve(Recovery.journalName(next));
        FileChannel newJournal = null;
        try {
            try (FileChannel out = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                SnapshotFormat.Writer snapshot = new SnapshotFormat.Writer(out);
                snapshotSource.accept(snapshot::record);
                snapshot.finish();
                out.force(true);
            }
            newJournal = FileChannel.open(
                    journalFile,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, dir.resolve(Recovery.snapshotName(next)), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            if (newJournal != null) {
                newJournal.close();
                Files.deleteIfExists(journalFile);
            }
            Files.deleteIfExists(tmp);
            throw e;
        }
        syncDirectory();
        if (channel != null) {
            channel.close();
        }
        channel = newJournal;
        sequence = next;
        written = 0;
        Recovery.deleteOlderThan(dir, next);
    }

    /** A snapshot-N.tmp was never renamed into place, so it holds nothing acknowledged. */
    private static void deleteUnfinishedSnapshots(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-*.tmp")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the rename is still atomic there.
        }
    }

    @Override
    public void close() {
        running = false;
        queue.add(new Pending(null, epoch, new CompletableFuture<>()));
        try {
            writer.join(5000);
            waiters.forEach(Waiter::run);
            if (channel != null) {
                channel.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("[autoreg] registry: closing the journal failed: " + e);
        }
    }

    static int maxRecord() {
        return MAX_RECORD;
    }
}
