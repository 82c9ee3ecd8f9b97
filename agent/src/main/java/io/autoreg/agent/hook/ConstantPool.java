package io.autoreg.agent.hook;

/**
 * The constant pool of a class file as {@link ReturnHookPatcher} reads it: where each entry starts, and the
 * UTF-8 entries it needs as strings (JVMS 4.4). Entries are never changed or renumbered, only appended.
 */
final class ConstantPool {

    private static final int UTF8 = 1;

    private final byte[] classfile;
    /** Offset of each entry's tag byte; 0 for index 0 and for the second slot of a Long or Double. */
    private final int[] offsets;
    /** The offset just past the pool: access_flags. */
    final int end;

    private ConstantPool(byte[] classfile, int[] offsets, int end) {
        this.classfile = classfile;
        this.offsets = offsets;
        this.end = end;
    }

    /** The constant_pool_count: one more than the highest index, so the index of the first appended entry. */
    int count() {
        return offsets.length;
    }

    /** Reads the pool whose constant_pool_count is at {@code at} (8 in a class file). */
    static ConstantPool read(byte[] b, int at) {
        int count = ByteSink.u2(b, at);
        if (count == 0) {
            throw new UnpatchableClassException("constant_pool_count is 0");
        }
        int[] offsets = new int[count];
        int p = at + 2;
        // The bytes are read inline, not through ByteSink: a JDK class has hundreds of entries, and calls per
        // entry would make those helpers hot enough for the JIT in a cold JVM; a loop in one call never is.
        for (int i = 1; i < count; i++) {
            offsets[i] = p;
            int tag = b[p] & 0xFF;
            switch (tag) {
                case UTF8:
                    p += 3 + (((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF));
                    break;
                case 3: // Integer
                case 4: // Float
                case 9: // Fieldref
                case 10: // Methodref
                case 11: // InterfaceMethodref
                case 12: // NameAndType
                case 17: // Dynamic
                case 18: // InvokeDynamic
                    p += 5;
                    break;
                case 5: // Long
                case 6: // Double: two slots, the second unusable
                    p += 9;
                    i++;
                    break;
                case 7: // Class
                case 8: // String
                case 16: // MethodType
                case 19: // Module
                case 20: // Package
                    p += 3;
                    break;
                case 15: // MethodHandle
                    p += 4;
                    break;
                default:
                    throw new UnpatchableClassException("constant pool tag " + tag + " at index " + i);
            }
        }
        if (p > b.length) {
            throw new UnpatchableClassException("truncated constant pool");
        }
        return new ConstantPool(b, offsets, p);
    }

    private int utf8Offset(int index) {
        if (index <= 0 || index >= offsets.length || offsets[index] == 0 || classfile[offsets[index]] != UTF8) {
            throw new UnpatchableClassException("constant " + index + " is not a Utf8 entry");
        }
        return offsets[index];
    }

    /**
     * For each index of the pool, whether it is a Utf8 entry equal to one of these ASCII strings: one pass, the
     * bytes compared inline. An index read from the class file is then looked up rather than compared; one out of
     * the pool's range throws {@link IndexOutOfBoundsException}, which the patcher reports as unpatchable.
     */
    boolean[] utf8Marks(String... ascii) {
        boolean[] marks = new boolean[offsets.length];
        for (int index = 1; index < offsets.length; index++) {
            int p = offsets[index];
            if (p == 0 || classfile[p] != UTF8) {
                continue;
            }
            int length = ((classfile[p + 1] & 0xFF) << 8) | (classfile[p + 2] & 0xFF);
            for (String text : ascii) {
                if (text.length() == length && sameBytes(p + 3, text)) {
                    marks[index] = true;
                    break;
                }
            }
        }
        return marks;
    }

    private boolean sameBytes(int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (classfile[at + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether Utf8 entry {@code index} is the ASCII string {@code ascii} (attribute names). */
    boolean utf8Equals(int index, String ascii) {
        int p = utf8Offset(index);
        int length = ByteSink.u2(classfile, p + 1);
        if (length != ascii.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (classfile[p + 3 + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Decodes Utf8 entry {@code index} (the JVM's modified UTF-8, JVMS 4.4.7). */
    String utf8(int index) {
        int p = utf8Offset(index);
        int length = ByteSink.u2(classfile, p + 1);
        char[] chars = new char[length];
        int n = 0;
        int i = p + 3;
        int limit = i + length;
        while (i < limit) {
            int c = classfile[i++] & 0xFF;
            if (c < 0x80) {
                chars[n++] = (char) c;
            } else if ((c & 0xE0) == 0xC0 && i < limit) {
                chars[n++] = (char) (((c & 0x1F) << 6) | (classfile[i++] & 0x3F));
            } else if ((c & 0xF0) == 0xE0 && i + 1 < limit) {
                chars[n++] = (char) (((c & 0x0F) << 12) | ((classfile[i] & 0x3F) << 6) | (classfile[i + 1] & 0x3F));
                i += 2;
            } else {
                throw new UnpatchableClassException("malformed Utf8 entry " + index);
            }
        }
        return new String(chars, 0, n);
    }
}
