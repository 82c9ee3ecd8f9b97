package io.autoreg.registry.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A snapshot is framed like a journal, between a header frame and a trailer frame. The trailer holds
 * the number of records and a CRC32C of every byte before it, so a snapshot is taken whole or not at
 * all: a flipped byte anywhere, a lost end or a lost middle fails the check. (Record bodies are JSON and
 * start with '{'; the markers start with a NUL byte, so no record is mistaken for one.)
 */
final class SnapshotFormat {
    private static final byte[] HEAD = "\0autoreg-snapshot\0v2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\0autoreg-snapshot-end\0".getBytes(StandardCharsets.US_ASCII);

    private SnapshotFormat() {}

    /** Writes framed records to a channel, keeping the count and the running CRC for the trailer. */
    static final class Writer {
        private final FileChannel out;
        private final CRC32C whole = new CRC32C();
        private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        private long records;
        private long bytes;

        Writer(FileChannel out) {
            this.out = out;
            frame(HEAD);
        }

        void record(byte[] record) {
            frame(record);
            records++;
            if (buffer.position() > (1 << 19)) {
                drain();
            }
        }

        /** Appends the trailer and writes everything out; returns the file's length. */
        long finish() {
            drain();
            ByteBuffer trailer = ByteBuffer.allocate(END.length + 12)
                    .put(END)
                    .putLong(records)
                    .putInt((int) whole.getValue());
            frame(trailer.array());
            drain();
            return bytes;
        }

        private void frame(byte[] record) {
            buffer = FileJournal.frame(buffer, record);
        }

        private void drain() {
            buffer.flip();
            ByteBuffer view = buffer.duplicate();
            whole.update(view);
            try {
                while (buffer.hasRemaining()) {
                    bytes += out.write(buffer);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            buffer.clear();
        }
    }

    /** Applies every record of a snapshot that passes its checksum; otherwise throws {@link StoreRefusal}. */
    static void read(Path file, Consumer<byte[]> apply) throws IOException {
        long size = Files.size(file);
        CRC32C whole = new CRC32C();
        long records = 0;
        long position = 0;
        boolean headed = false;
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            while (position < size) {
                if (position + Recovery.Frames.HEADER > size) {
                    throw damaged(file, position, size, "a record is cut short");
                }
                int length = in.readInt();
                int crc = in.readInt();
                if (length <= 0
                        || length > FileJournal.maxRecord()
                        || position + Recovery.Frames.HEADER + length > size) {
                    throw damaged(file, position, size, "a record has an impossible length " + length);
                }
                byte[] body = new byte[length];
                in.readFully(body);
                if (Recovery.Frames.crcOf(body, 0, length) != crc) {
                    throw damaged(file, position, size, "a record fails its checksum");
                }
                if (position == 0 && Arrays.equals(body, HEAD)) {
                    headed = true;
                } else if (headed && startsWith(body, END)) {
                    ByteBuffer trailer = ByteBuffer.wrap(body, END.length, body.length - END.length);
                    long count = trailer.getLong();
                    int expected = trailer.getInt();
                    long end = position + Recovery.Frames.HEADER + length;
                    if (end != size || count != records || expected != (int) whole.getValue()) {
                        throw damaged(
                                file,
                                position,
                                size,
                                "the whole-file checksum does not match (" + records + " records read, " + count
                                        + " written)");
                    }
                    return;
                } else {
                    apply.accept(body);
                    records++;
                }
                whole.update(ByteBuffer.allocate(Recovery.Frames.HEADER)
                        .putInt(length)
                        .putInt(crc)
                        .array());
                whole.update(body);
                position += Recovery.Frames.HEADER + length;
            }
        } catch (EOFException e) {
            throw damaged(file, position, size, "the file ends inside a record");
        }
        if (headed) {
            throw damaged(file, position, size, "its end (with the whole-file checksum) is missing");
        }
        // Written before snapshots carried a checksum: every record was intact, up to the last byte.
        System.err.println("[autoreg] registry: " + file.toAbsolutePath()
                + " is a snapshot without a whole-file checksum" + " (an older format); all " + records
                + " records were intact; the next snapshot will carry one");
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        return body.length == prefix.length + 12 && Arrays.equals(body, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static StoreRefusal damaged(Path file, long offset, long size, String what) {
        return new StoreRefusal("snapshot damaged: " + file.toAbsolutePath() + " fails its checksum at offset " + offset
                + " of " + size + " (" + what
                + "); refusing to start, and the file is left as it is. Restore the data dir from a"
                + " backup; moving this snapshot aside would start without the state it holds");
    }
}
