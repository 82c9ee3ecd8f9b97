package io.autoreg.registry.store;

import io.autoreg.registry.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * An fsync'd append-only journal with group commit on one writer thread, plus snapshots.
 *
 * <p>Files: {@code snapshot-N.snap} holds the whole state as of the start of {@code journal-N.log}.
 * Both use the same framing: {@code [int length][int crc32c][length bytes]}. Recovery loads the
 * newest snapshot and replays the journals from its number on, truncating a torn tail (a short or
 * CRC-failing last record: the write that was never acknowledged). Records are idempotent state
 * changes, so a record that is in both a snapshot and the journal after it replays harmlessly.
 */
public final class FileJournal implements Journal, AutoCloseable {
  private static final int MAX_RECORD = 64 * 1024 * 1024;
  private final Path dir;
  private final Metrics metrics;
  private final long compactAfterBytes;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile Consumer<Consumer<byte[]>> snapshotSource;
  private FileChannel channel;
  private long sequence;
  private long written;
  private volatile boolean running = true;
  private volatile boolean compactRequested;
  private volatile boolean failing;

  private record Pending(byte[] record, CompletableFuture<Void> done) {}

  private FileJournal(Path dir, Metrics metrics, long compactAfterBytes) {
    this.dir = dir;
    this.metrics = metrics;
    this.compactAfterBytes = compactAfterBytes;
    this.writer = new Thread(this::writeLoop, "autoreg-journal");
    this.writer.setDaemon(true);
  }

  /**
   * Replays the data dir into {@code apply}, then writes a fresh snapshot from {@code snapshotSource}
   * (the state just rebuilt) and starts a new journal.
   */
  public static FileJournal open(Path dir, Metrics metrics, long compactAfterBytes, Consumer<byte[]> apply,
                                 Consumer<Consumer<byte[]>> snapshotSource) throws IOException {
    Files.createDirectories(dir);
    FileJournal journal = new FileJournal(dir, metrics, compactAfterBytes);
    journal.snapshotSource = snapshotSource;
    journal.sequence = Recovery.replay(dir, apply);
    journal.rotateAndSnapshot();
    journal.writer.start();
    return journal;
  }

  @Override
  public CompletableFuture<Void> append(byte[] record) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!running) {
      done.completeExceptionally(new IOException("journal closed"));
      return done;
    }
    queue.add(new Pending(record, done));
    return done;
  }

  /** Asks the writer to snapshot and start a new journal soon (tests, and the size trigger). */
  public void compactSoon() {
    compactRequested = true;
    queue.add(new Pending(null, new CompletableFuture<>()));
  }

  public long sequence() { return sequence; }

  /** False once a write failed (until a later batch succeeds) or after close. */
  public boolean healthy() { return running && writer.isAlive() && !failing; }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>(1024);
    ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.take();
        batch.add(first);
        queue.drainTo(batch, 8192);
        long started = System.nanoTime();
        for (Pending p : batch) {
          if (p.record() != null) {
            buffer = frame(buffer, p.record());
          }
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          written += channel.write(buffer);
        }
        buffer.clear();
        channel.force(false);
        metrics.storeFsyncs.increment();
        metrics.storeWrites.add(batch.size());
        metrics.storeLatencyMicros.add((System.nanoTime() - started) / 1000);
        failing = false;
        for (Pending p : batch) {
          p.done().complete(null);
        }
        batch.clear();
        if (compactRequested || written > compactAfterBytes) {
          compactRequested = false;
          rotateAndSnapshot();
        }
      } catch (InterruptedException e) {
        if (!running) {
          continue;
        }
      } catch (IOException | RuntimeException e) {
        failing = true;
        System.err.println("[autoreg] registry: journal write failed: " + e);
        for (Pending p : batch) {
          p.done().completeExceptionally(e);
        }
        batch.clear();
        buffer.clear();
      }
    }
  }

  private static ByteBuffer frame(ByteBuffer buffer, byte[] record) {
    if (buffer.remaining() < record.length + 8) {
      ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + record.length + 8));
      buffer.flip();
      bigger.put(buffer);
      buffer = bigger;
    }
    CRC32C crc = new CRC32C();
    crc.update(record);
    buffer.putInt(record.length).putInt((int) crc.getValue()).put(record);
    return buffer;
  }

  /** Starts journal N+1 and writes snapshot N+1 (the state at that point), then drops older files. */
  private void rotateAndSnapshot() throws IOException {
    long next = sequence + 1;
    Path tmp = dir.resolve("snapshot-" + next + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer[] buffer = {ByteBuffer.allocateDirect(1 << 20)};
      snapshotSource.accept(record -> {
        buffer[0] = frame(buffer[0], record);
        if (buffer[0].position() > (1 << 19)) {
          drain(out, buffer[0]);
        }
      });
      drain(out, buffer[0]);
      out.force(true);
    }
    FileChannel newJournal = FileChannel.open(dir.resolve(Recovery.journalName(next)), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, dir.resolve(Recovery.snapshotName(next)), StandardCopyOption.ATOMIC_MOVE);
    syncDirectory();
    if (channel != null) {
      channel.close();
    }
    channel = newJournal;
    sequence = next;
    written = 0;
    Recovery.deleteOlderThan(dir, next);
  }

  private static void drain(FileChannel out, ByteBuffer buffer) {
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.clear();
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
    queue.add(new Pending(null, new CompletableFuture<>()));
    try {
      writer.join(5000);
      if (channel != null) {
        channel.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      System.err.println("[autoreg] registry: closing the journal failed: " + e);
    }
  }

  static int maxRecord() { return MAX_RECORD; }
}
