package io.autoreg.agent.hook;

/** Instruction lengths (JVMS 6.5) for {@link CodePatcher}: every opcode a class file may hold. */
final class Bytecode {

    static final int IRETURN = 0xac;
    static final int RETURN = 0xb1;
    static final int JSR = 0xa8;
    static final int RET = 0xa9;
    static final int TABLESWITCH = 0xaa;
    static final int LOOKUPSWITCH = 0xab;
    static final int WIDE = 0xc4;
    static final int IINC = 0x84;
    static final int IFNULL = 0xc6;
    static final int IFNONNULL = 0xc7;
    static final int GOTO_W = 0xc8;
    static final int JSR_W = 0xc9;

    /** Length of each fixed-length opcode; 0 for a switch or {@code wide} (computed), -1 for an invalid one. */
    /**
     * The length of each fixed-length instruction by opcode; 0 for the switches and {@code wide}, -1 for an invalid
     * opcode. Package-private so that the patcher's loops read it inline: a call per instruction would make
     * {@link #length} hot enough for the JIT in a cold JVM. Never written after class initialisation.
     */
    static final byte[] LENGTHS = lengths();

    private Bytecode() {}

    private static byte[] lengths() {
        byte[] lengths = new byte[256];
        java.util.Arrays.fill(lengths, (byte) -1);
        fill(lengths, 0x00, 0x0f, 1); // nop .. dconst_1
        lengths[0x10] = 2; // bipush
        lengths[0x11] = 3; // sipush
        lengths[0x12] = 2; // ldc
        lengths[0x13] = 3; // ldc_w
        lengths[0x14] = 3; // ldc2_w
        fill(lengths, 0x15, 0x19, 2); // iload .. aload
        fill(lengths, 0x1a, 0x35, 1); // iload_0 .. saload
        fill(lengths, 0x36, 0x3a, 2); // istore .. astore
        fill(lengths, 0x3b, 0x83, 1); // istore_0 .. lxor
        lengths[IINC] = 3;
        fill(lengths, 0x85, 0x98, 1); // i2l .. dcmpg
        fill(lengths, 0x99, JSR, 3); // ifeq .. jsr
        lengths[RET] = 2;
        lengths[TABLESWITCH] = 0;
        lengths[LOOKUPSWITCH] = 0;
        fill(lengths, IRETURN, RETURN, 1);
        fill(lengths, 0xb2, 0xb8, 3); // getstatic .. invokestatic
        lengths[0xb9] = 5; // invokeinterface
        lengths[0xba] = 5; // invokedynamic
        lengths[0xbb] = 3; // new
        lengths[0xbc] = 2; // newarray
        lengths[0xbd] = 3; // anewarray
        lengths[0xbe] = 1; // arraylength
        lengths[0xbf] = 1; // athrow
        lengths[0xc0] = 3; // checkcast
        lengths[0xc1] = 3; // instanceof
        lengths[0xc2] = 1; // monitorenter
        lengths[0xc3] = 1; // monitorexit
        lengths[WIDE] = 0;
        lengths[0xc5] = 4; // multianewarray
        lengths[IFNULL] = 3;
        lengths[IFNONNULL] = 3;
        lengths[GOTO_W] = 5;
        lengths[JSR_W] = 5;
        return lengths;
    }

    private static void fill(byte[] lengths, int from, int to, int length) {
        for (int op = from; op <= to; op++) {
            lengths[op] = (byte) length;
        }
    }

    /** Length of the instruction at {@code at} of the code that starts at {@code codeStart}. */
    static int length(byte[] b, int codeStart, int at) {
        int opcode = b[at] & 0xFF;
        int length = LENGTHS[opcode];
        if (length > 0) {
            return length;
        }
        if (length < 0) {
            throw new UnpatchableClassException("invalid opcode " + opcode + " at " + (at - codeStart));
        }
        if (opcode == WIDE) {
            return (b[at + 1] & 0xFF) == IINC ? 6 : 4;
        }
        int operands = at + 1 + padding(at - codeStart);
        if (opcode == TABLESWITCH) {
            int low = ByteSink.s4(b, operands + 4);
            int high = ByteSink.s4(b, operands + 8);
            long cases = (long) high - low + 1;
            if (cases < 0 || cases > 0xFFFF) {
                throw new UnpatchableClassException("tableswitch of " + cases + " cases");
            }
            return operands + 12 + (int) cases * 4 - at;
        }
        int pairs = ByteSink.s4(b, operands + 4);
        if (pairs < 0 || pairs > 0xFFFF) {
            throw new UnpatchableClassException("lookupswitch of " + pairs + " pairs");
        }
        return operands + 8 + pairs * 8 - at;
    }

    /** The 0–3 bytes after a switch opcode at code offset {@code offset} that align its operands. */
    static int padding(int offset) {
        return 3 - (offset & 3);
    }
}
