package io.autoreg.agent.hook;

import java.util.Arrays;

/** A growable big-endian byte buffer for {@link ReturnHookPatcher}. */
final class ByteSink {

    private byte[] bytes;
    private int size;

    ByteSink(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    int size() {
        return size;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    // u1 and u2 test the capacity themselves: the patcher calls them for most bytes it writes, and a call to
    // ensure() from each would make it hot enough for the JIT on a cold JVM as well

    ByteSink u1(int value) {
        if (size == bytes.length) {
            ensure(1);
        }
        bytes[size++] = (byte) value;
        return this;
    }

    ByteSink u2(int value) {
        if (size + 2 > bytes.length) {
            ensure(2);
        }
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    ByteSink u4(int value) {
        ensure(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    /** An ASCII string's chars as bytes, in one call (a call per char would make {@link #u1} hot on a cold JVM). */
    ByteSink ascii(String ascii) {
        int length = ascii.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            char c = ascii.charAt(i);
            if (c == 0 || c >= 0x80) {
                throw new UnpatchableClassException("not an ASCII constant: " + ascii);
            }
            bytes[size + i] = (byte) c;
        }
        size += length;
        return this;
    }

    ByteSink bytes(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
        return this;
    }

    /** Overwrites four bytes written earlier (an attribute's length once its content is known). */
    void putU4(int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    static int u1(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int s2(byte[] b, int at) {
        return (short) u2(b, at);
    }

    static int s4(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
