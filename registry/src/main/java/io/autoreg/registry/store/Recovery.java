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

/**
 * Reads snapshots and journals back. A journal's torn tail (the unacknowledged last write of a crash)
 * is trimmed and logged; damage with intact records after it, or a snapshot that fails its checksum,
 * stops the start with a {@link StoreRefusal} naming the file and offset, and leaves every file as it is.
 */
final class Recovery {
    private Recovery() {}

    static String journalName(long n) {
        return String.format("journal-%012d.log", n);
    }

    static String snapshotName(long n) {
        return String.format("snapshot-%012d.snap", n);
    }

    /** What a replay found: the last sequence number, and the bytes the newest files hold. */
    record Replayed(long sequence, long bytes) {}

    /** Replays the newest snapshot and every journal from it on. */
    static Replayed replay(Path dir, Consumer<byte[]> apply) throws IOException {
        long snapshot = newest(dir, "snapshot-", ".snap");
        long bytes = 0;
        if (snapshot > 0) {
            Path file = dir.resolve(snapshotName(snapshot));
            SnapshotFormat.read(file, apply);
            bytes += Files.size(file);
        }
        long last = snapshot;
        List<Long> journals = numbers(dir, "journal-", ".log");
        for (long n : journals) {
            if (n >= snapshot) {
                Path file = dir.resolve(journalName(n));
                boolean newest = n == journals.get(journals.size() - 1);
                long intact = read(file, apply, newest);
                // A journal is only left for the next once all its writes completed: a bad end is damage there.
                if (!newest && intact < Files.size(file)) {
                    throw new StoreRefusal(
                            "journal damaged: " + file.toAbsolutePath() + " ends in a bad record at offset "
                                    + intact + " though a later journal follows (file size " + Files.size(file)
                                    + "); refusing to start,"
                                    + " and the files are left as they are. Restore them from a backup, or accept losing everything from"
                                    + " offset " + intact + " of this file on with: truncate -s " + intact + " '"
                                    + file.toAbsolutePath() + "'");
                }
                bytes += intact;
                last = Math.max(last, n);
            }
        }
        return new Replayed(last, bytes);
    }

    /**
     * Applies every intact record of a journal and returns the intact length. A bad record (short,
     * impossible length, or failing its CRC) with no valid record anywhere after it is the torn tail of a
     * write that was never acknowledged: with {@code trimTornTail} the file is truncated there, and the
     * cut is logged. A bad record followed by a valid one is damage: nothing is applied past it, nothing is
     * cut, and {@link StoreRefusal} says where.
     */
    static long read(Path file, Consumer<byte[]> apply, boolean trimTornTail) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = in.size();
            long position = 0;
            while (true) {
                byte[] record = Frames.readAt(in, position, size);
                if (record == null) {
                    break;
                }
                apply.accept(record);
                position += Frames.HEADER + record.length;
            }
            if (position < size) {
                long nextValid = Frames.nextValidAfter(in, position, size);
                if (nextValid >= 0) {
                    throw new StoreRefusal("journal damaged: " + file.toAbsolutePath() + " has a bad record at offset "
                            + position
                            + " followed by intact records (the first at offset " + nextValid + ", file size " + size
                            + "); refusing to start so that no acknowledged write is cut, and the file is left as it is. Restore it"
                            + " from a backup, or accept losing everything from offset " + position
                            + " on with: truncate -s "
                            + position + " '" + file.toAbsolutePath() + "'");
                }
                if (trimTornTail) {
                    System.err.println("[autoreg] registry: trimming a torn tail of " + (size - position)
                            + " bytes at offset " + position + " of " + file.toAbsolutePath()
                            + " (the last write before a crash, never acknowledged)");
                    in.truncate(position);
                    in.force(true);
                }
            }
            return position;
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

    /** The framing {@code [int length][int crc32c][length bytes]} shared by journals and snapshots. */
    static final class Frames {
        static final int HEADER = 8;

        private Frames() {}

        /** The record at {@code position}, or null if there is no whole record with a matching CRC there. */
        static byte[] readAt(FileChannel in, long position, long size) throws IOException {
            if (position + HEADER > size) {
                return null;
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            readFully(in, header, position);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            // No record is empty: a run of zeros (a file extended but never written) is not a record.
            if (length <= 0 || length > FileJournal.maxRecord() || position + HEADER + length > size) {
                return null;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(in, body, position + HEADER);
            return crcOf(body.array(), 0, length) == crc ? body.array() : null;
        }

        /** The offset of the first whole record with a matching CRC after {@code bad}, or -1 if none. */
        static long nextValidAfter(FileChannel in, long bad, long size) throws IOException {
            long rest = size - bad;
            if (rest > Integer.MAX_VALUE - 16) {
                rest = Integer.MAX_VALUE - 16;
            }
            ByteBuffer tail = ByteBuffer.allocate((int) rest);
            readFully(in, tail, bad);
            byte[] bytes = tail.array();
            int n = tail.position();
            for (int at = 1; at + HEADER <= n; at++) {
                int length = intAt(bytes, at);
                if (length <= 0 || length > FileJournal.maxRecord() || (long) at + HEADER + length > n) {
                    continue;
                }
                if (crcOf(bytes, at + HEADER, length) == intAt(bytes, at + 4)) {
                    return bad + at;
                }
            }
            return -1;
        }

        static int crcOf(byte[] bytes, int from, int length) {
            CRC32C check = new CRC32C();
            check.update(bytes, from, length);
            return (int) check.getValue();
        }

        private static int intAt(byte[] b, int at) {
            return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
        }

        static void readFully(FileChannel in, ByteBuffer buffer, long position) throws IOException {
            long start = position - buffer.position();
            while (buffer.hasRemaining()) {
                int n = in.read(buffer, start + buffer.position());
                if (n < 0) {
                    break;
                }
            }
        }
    }
}
