package io.autoreg.agent.hook;

/**
 * Re-encodes a {@code StackMapTable} (JVMS 4.7.4) for {@link CodePatcher}: each frame's offset delta from the
 * new absolute offsets (a {@code same_frame} or {@code same_locals_1_stack_item_frame} whose delta no longer
 * fits in its tag takes its {@code _extended} form), and the {@code new} offset of every
 * {@code Uninitialized} verification type. The frames themselves stay valid: the inserted block is
 * straight-line and leaves the stack and locals as they were.
 */
final class StackMapRewriter {

    private static final int SAME_LOCALS_1_STACK_ITEM = 64;
    private static final int SAME_LOCALS_1_STACK_ITEM_EXTENDED = 247;
    private static final int SAME_FRAME_EXTENDED = 251;
    private static final int FULL_FRAME = 255;
    private static final int ITEM_OBJECT = 7;
    private static final int ITEM_UNINITIALIZED = 8;

    private final byte[] b;
    private final int[] map;
    private final int end;
    private final ByteSink out;
    private int p;

    private StackMapRewriter(byte[] b, int[] map, int end, ByteSink out) {
        this.b = b;
        this.map = map;
        this.end = end;
        this.out = out;
    }

    /** Writes the patched attribute that starts at {@code at} (its name index). */
    static void write(byte[] b, int at, int[] map, ByteSink out) {
        new StackMapRewriter(b, map, at + 6 + ByteSink.s4(b, at + 2), out).write(at);
    }

    private void write(int at) {
        int lengthAt = out.size() + 2;
        int frames = ByteSink.u2(b, at + 6);
        out.u2(ByteSink.u2(b, at)).u4(0).u2(frames);
        p = at + 8;
        int oldOffset = -1;
        int newOffset = -1;
        for (int i = 0; i < frames; i++) {
            int type = ByteSink.u1(b, p++);
            int delta;
            if (type < SAME_LOCALS_1_STACK_ITEM * 2) {
                delta = type & 63;
            } else if (type < SAME_LOCALS_1_STACK_ITEM_EXTENDED) {
                throw new UnpatchableClassException("reserved frame type " + type);
            } else {
                delta = ByteSink.u2(b, p);
                p += 2;
            }
            oldOffset += delta + 1;
            if (oldOffset >= map.length - 1) {
                throw new UnpatchableClassException("frame offset " + oldOffset + " past the code");
            }
            int mapped = map[oldOffset];
            int newDelta = mapped - newOffset - 1;
            newOffset = mapped;
            if (type < SAME_LOCALS_1_STACK_ITEM) {
                if (newDelta < SAME_LOCALS_1_STACK_ITEM) {
                    out.u1(newDelta);
                } else {
                    out.u1(SAME_FRAME_EXTENDED).u2(newDelta);
                }
            } else if (type < SAME_LOCALS_1_STACK_ITEM * 2) {
                if (newDelta < SAME_LOCALS_1_STACK_ITEM) {
                    out.u1(SAME_LOCALS_1_STACK_ITEM + newDelta);
                } else {
                    out.u1(SAME_LOCALS_1_STACK_ITEM_EXTENDED).u2(newDelta);
                }
                types(1);
            } else if (type == SAME_LOCALS_1_STACK_ITEM_EXTENDED) {
                out.u1(type).u2(newDelta);
                types(1);
            } else if (type < FULL_FRAME) {
                // chop (248-250), same_frame_extended (251), append (252-254: type - 251 locals)
                out.u1(type).u2(newDelta);
                types(type > SAME_FRAME_EXTENDED ? type - SAME_FRAME_EXTENDED : 0);
            } else {
                out.u1(type).u2(newDelta);
                int locals = ByteSink.u2(b, p);
                p += 2;
                out.u2(locals);
                types(locals);
                int stack = ByteSink.u2(b, p);
                p += 2;
                out.u2(stack);
                types(stack);
            }
        }
        if (p != end) {
            throw new UnpatchableClassException("StackMapTable length mismatch");
        }
        out.putU4(lengthAt, out.size() - lengthAt - 4);
    }

    private void types(int count) {
        for (int i = 0; i < count; i++) {
            int tag = ByteSink.u1(b, p++);
            if (tag < ITEM_OBJECT) {
                out.u1(tag);
            } else if (tag == ITEM_OBJECT) {
                out.u1(tag).u2(ByteSink.u2(b, p));
                p += 2;
            } else if (tag == ITEM_UNINITIALIZED) {
                int offset = ByteSink.u2(b, p);
                p += 2;
                if (offset >= map.length - 1) {
                    throw new UnpatchableClassException("Uninitialized(" + offset + ") past the code");
                }
                out.u1(tag).u2(map[offset]);
            } else {
                throw new UnpatchableClassException("verification type " + tag);
            }
        }
    }
}
