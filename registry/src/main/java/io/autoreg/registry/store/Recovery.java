package io.autoreg.registry.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/** Reads snapshots and journals back, truncating a torn tail. */
final class Recovery {
  private Recovery() {}

  static String journalName(long n) { return String.format("journal-%012d.log", n); }

  static String snapshotName(long n) { return String.format("snapshot-%012d.snap", n); }

  /** Replays the newest complete snapshot and every journal from it on; returns the last sequence number seen. */
  static long replay(Path dir, Consumer<byte[]> apply) throws IOException {
    long snapshot = newest(dir, "snapshot-", ".snap");
    if (snapshot > 0) {
      read(dir.resolve(snapshotName(snapshot)), apply, false);
    }
    long last = snapshot;
    for (long n : numbers(dir, "journal-", ".log")) {
      if (n >= snapshot) {
        read(dir.resolve(journalName(n)), apply, true);
        last = Math.max(last, n);
      }
    }
    return last;
  }

  /**
   * Applies every intact record of a file. A short or corrupt record ends the file: in a journal it
   * is the torn tail of a write that was never acknowledged, so the file is truncated there.
   */
  static long read(Path file, Consumer<byte[]> apply, boolean truncateTornTail) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = in.size();
      ByteBuffer header = ByteBuffer.allocate(8);
      long position = 0;
      while (position + 8 <= size) {
        header.clear();
        readFully(in, header, position);
        header.flip();
        int length = header.getInt();
        int crc = header.getInt();
        if (length < 0 || length > FileJournal.maxRecord() || position + 8 + length > size) {
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(in, body, position + 8);
        CRC32C check = new CRC32C();
        check.update(body.array(), 0, length);
        if ((int) check.getValue() != crc) {
          break;
        }
        apply.accept(body.array());
        position += 8 + length;
      }
      if (truncateTornTail && position < size) {
        System.err.println("[autoreg] registry: truncating a torn tail of " + (size - position) + " bytes in " + file);
        in.truncate(position);
        in.force(true);
      }
      return position;
    }
  }

  private static void readFully(FileChannel in, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = in.read(buffer, position + buffer.position());
      if (n < 0) {
        break;
      }
    }
  }

  static void deleteOlderThan(Path dir, long keep) throws IOException {
    for (long n : numbers(dir, "journal-", ".log")) {
      if (n < keep) {
        Files.deleteIfExists(dir.resolve(journalName(n)));
      }
    }
    for (long n : numbers(dir, "snapshot-", ".snap")) {
      if (n < keep) {
        Files.deleteIfExists(dir.resolve(snapshotName(n)));
      }
    }
  }

  private static long newest(Path dir, String prefix, String suffix) throws IOException {
    List<Long> all = numbers(dir, prefix, suffix);
    return all.isEmpty() ? 0 : all.get(all.size() - 1);
  }

  static List<Long> numbers(Path dir, String prefix, String suffix) throws IOException {
    List<Long> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*" + suffix)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        try {
          out.add(Long.parseLong(name.substring(prefix.length(), name.length() - suffix.length())));
        } catch (NumberFormatException e) {
          // not ours
        }
      }
    }
    out.sort(null);
    return out;
  }
}
