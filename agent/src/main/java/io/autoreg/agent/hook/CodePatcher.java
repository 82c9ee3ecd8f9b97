package io.autoreg.agent.hook;

/**
 * Rewrites one method's {@code Code} attribute for {@link ReturnHookPatcher}: the block before every
 * {@code xreturn}, and every code offset that moved because of it.
 *
 * <p>Old offset {@code o} becomes {@code o + L * (returns before o)}, {@code L} the block's length (a multiple
 * of 4, so switch padding is unchanged). A branch to a return thus lands on the block before it, as with ASM,
 * whose label for the return is visited before the inserted instructions.
 *
 * <p>The per-instruction tests (length, return, branch) are written inline rather than as calls: this runs on a
 * cold JVM, where a few hundred calls make a helper hot enough for the JIT, and the JIT's work is the host's CPU.
 */
final class CodePatcher {

    private final byte[] b;
    private final ConstantPool pool;
    /** The new offset of each old code offset, code_length included. */
    private int[] map;

    private CodePatcher(byte[] classfile, ConstantPool pool) {
        this.b = classfile;
        this.pool = pool;
    }

    /** Writes the patched {@code Code} attribute that starts at {@code at} (its name index) to {@code out}. */
    static void patch(byte[] classfile, ConstantPool pool, int at, byte[] block, ByteSink out) {
        new CodePatcher(classfile, pool).write(at, block, out);
    }

    private void write(int at, byte[] block, ByteSink out) {
        int attributeEnd = at + 6 + ByteSink.s4(b, at + 2);
        int maxStack = ByteSink.u2(b, at + 6);
        int maxLocals = ByteSink.u2(b, at + 8);
        int codeLength = ByteSink.s4(b, at + 10);
        int code = at + 14;
        if (codeLength <= 0 || codeLength > 0xFFFF || code + codeLength > attributeEnd) {
            throw new UnpatchableClassException("code_length " + codeLength);
        }
        int returns = mapOffsets(code, codeLength, block.length);
        int newLength = map[codeLength];
        if (newLength > 0xFFFF) {
            throw new UnpatchableClassException("code grows to " + newLength + " bytes");
        }
        int lengthAt = out.size() + 2;
        out.u2(ByteSink.u2(b, at)).u4(0);
        out.u2(returns == 0 ? maxStack : Math.min(0xFFFF, maxStack + ExitEventBlock.EXTRA_STACK));
        out.u2(maxLocals).u4(newLength);
        writeCode(code, codeLength, block, out);

        int p = code + codeLength;
        int handlers = ByteSink.u2(b, p);
        out.u2(handlers);
        p += 2;
        for (int i = 0; i < handlers; i++, p += 8) {
            out.u2(offset(ByteSink.u2(b, p)))
                    .u2(offset(ByteSink.u2(b, p + 2)))
                    .u2(offset(ByteSink.u2(b, p + 4)))
                    .u2(ByteSink.u2(b, p + 6));
        }
        int attributes = ByteSink.u2(b, p);
        out.u2(attributes);
        p += 2;
        for (int i = 0; i < attributes; i++) {
            int name = ByteSink.u2(b, p);
            int length = ByteSink.s4(b, p + 2);
            int start = p + 6;
            int end = start + length;
            if (length < 0 || end > attributeEnd) {
                throw new UnpatchableClassException("attribute overruns Code");
            }
            if (pool.utf8Equals(name, "LineNumberTable")) {
                writeLineNumbers(p, out);
            } else if (pool.utf8Equals(name, "LocalVariableTable") || pool.utf8Equals(name, "LocalVariableTypeTable")) {
                writeLocalVariables(p, out);
            } else if (pool.utf8Equals(name, "StackMapTable")) {
                StackMapRewriter.write(b, p, map, out);
            } else {
                throw new UnpatchableClassException("attribute " + pool.utf8(name) + " in Code");
            }
            p = end;
        }
        if (p != attributeEnd) {
            throw new UnpatchableClassException("Code attribute length mismatch");
        }
        out.putU4(lengthAt, out.size() - lengthAt - 4);
    }

    /** Fills {@link #map}; returns the number of returns. */
    private int mapOffsets(int code, int codeLength, int blockLength) {
        map = new int[codeLength + 1];
        int shift = 0;
        int returns = 0;
        int o = 0;
        while (o < codeLength) {
            int opcode = b[code + o] & 0xFF;
            if (opcode == Bytecode.JSR
                    || opcode == Bytecode.JSR_W
                    || opcode == Bytecode.RET
                    || (opcode == Bytecode.WIDE && (b[code + o + 1] & 0xFF) == Bytecode.RET)) {
                throw new UnpatchableClassException("jsr/ret at " + o);
            }
            int length = Bytecode.LENGTHS[opcode];
            if (length <= 0) {
                length = Bytecode.length(b, code, code + o);
            }
            if (o + length > codeLength) {
                throw new UnpatchableClassException("instruction overruns the code at " + o);
            }
            for (int i = 0; i < length; i++) {
                map[o + i] = o + i + shift;
            }
            if (opcode >= Bytecode.IRETURN && opcode <= Bytecode.RETURN) { // ireturn .. return
                shift += blockLength;
                returns++;
            }
            o += length;
        }
        map[codeLength] = codeLength + shift;
        return returns;
    }

    private int offset(int old) {
        if (old < 0 || old >= map.length) {
            throw new UnpatchableClassException("code offset " + old + " out of range");
        }
        return map[old];
    }

    /** Copies the code, in runs between the instructions that change (returns, branches, switches). */
    private void writeCode(int code, int codeLength, byte[] block, ByteSink out) {
        int o = 0;
        int run = 0;
        while (o < codeLength) {
            int at = code + o;
            int opcode = b[at] & 0xFF;
            int length = Bytecode.LENGTHS[opcode];
            if (length <= 0) {
                length = Bytecode.length(b, code, at);
            }
            boolean isReturn = opcode >= Bytecode.IRETURN && opcode <= Bytecode.RETURN;
            // the conditional branches, goto, jsr, ifnull and ifnonnull: a signed 16-bit offset
            boolean isShortBranch = (opcode >= 0x99 && opcode <= Bytecode.JSR)
                    || opcode == Bytecode.IFNULL
                    || opcode == Bytecode.IFNONNULL;
            boolean isSwitch = opcode == Bytecode.TABLESWITCH || opcode == Bytecode.LOOKUPSWITCH;
            if (isReturn || isShortBranch || isSwitch || opcode == Bytecode.GOTO_W) {
                out.bytes(b, code + run, o - run);
                run = o + length;
                int self = map[o];
                if (isReturn) {
                    out.bytes(block, 0, block.length).u1(opcode);
                } else if (isShortBranch) {
                    int delta = offset(o + ByteSink.s2(b, at + 1)) - self;
                    if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                        throw new UnpatchableClassException("branch at " + o + " overflows");
                    }
                    out.u1(opcode).u2(delta);
                } else if (isSwitch) {
                    writeSwitch(o, at, opcode, length, self, out);
                } else {
                    out.u1(opcode).u4(offset(o + ByteSink.s4(b, at + 1)) - self);
                }
            }
            o += length;
        }
        out.bytes(b, code + run, codeLength - run);
    }

    /** The padding is copied: the new offset is the old one plus a multiple of 4. */
    private void writeSwitch(int o, int at, int opcode, int length, int self, ByteSink out) {
        int operands = at + 1 + Bytecode.padding(o);
        out.bytes(b, at, operands - at);
        out.u4(offset(o + ByteSink.s4(b, operands)) - self);
        int p = operands + 4;
        int end = at + length;
        if (opcode == Bytecode.TABLESWITCH) {
            out.bytes(b, p, 8);
            for (p += 8; p < end; p += 4) {
                out.u4(offset(o + ByteSink.s4(b, p)) - self);
            }
        } else {
            out.bytes(b, p, 4);
            for (p += 4; p < end; p += 8) {
                out.bytes(b, p, 4).u4(offset(o + ByteSink.s4(b, p + 4)) - self);
            }
        }
    }

    private void writeLineNumbers(int at, ByteSink out) {
        int entries = ByteSink.u2(b, at + 6);
        checkLength(at, 2 + entries * 4);
        out.u2(ByteSink.u2(b, at)).u4(2 + entries * 4).u2(entries);
        for (int i = 0, p = at + 8; i < entries; i++, p += 4) {
            out.u2(offset(ByteSink.u2(b, p))).u2(ByteSink.u2(b, p + 2));
        }
    }

    private void writeLocalVariables(int at, ByteSink out) {
        int entries = ByteSink.u2(b, at + 6);
        checkLength(at, 2 + entries * 10);
        out.u2(ByteSink.u2(b, at)).u4(2 + entries * 10).u2(entries);
        for (int i = 0, p = at + 8; i < entries; i++, p += 10) {
            int start = ByteSink.u2(b, p);
            int newStart = offset(start);
            out.u2(newStart).u2(offset(start + ByteSink.u2(b, p + 2)) - newStart);
            out.bytes(b, p + 4, 6);
        }
    }

    private void checkLength(int at, int expected) {
        if (ByteSink.s4(b, at + 2) != expected) {
            throw new UnpatchableClassException("attribute length " + ByteSink.s4(b, at + 2) + " != " + expected);
        }
    }
}
