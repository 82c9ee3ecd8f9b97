package io.autoreg.agent.hook;

/**
 * Inserts the agent's exit event before every normal return of the hooked methods by patching the class
 * file directly: the same result as {@link HookRewriter} (ASM), without loading ASM's ~26 classes and the
 * JIT work their first use causes on the agent's thread (docs/benchmarks.md, "Where the agent thread's
 * ~40 ms go").
 *
 * <p>Nothing of the class is decoded that the patch does not need: the constant pool is scanned for the
 * entries' offsets and appended to (existing indexes never change), fields, other methods and attributes are
 * copied as bytes, and only each hooked method's {@code Code} attribute is rebuilt ({@link CodePatcher}).
 * What it does not handle throws {@link UnpatchableClassException}, and the caller falls back to ASM.
 * JDK types only and no lambdas: it runs on a cold JVM.
 */
final class ReturnHookPatcher {

    private static final int ACC_STATIC = 0x0008;
    private static final int ACC_NATIVE = 0x0100;
    private static final int ACC_ABSTRACT = 0x0400;
    private static final String[] CODE = {"Code"};

    private ReturnHookPatcher() {}

    /**
     * Returns the patched class, or null when none of its methods is a hook point.
     *
     * @param route how the hooks reach the agent's queue (under {@code queueKey} in the system properties as the last resort)
     *
     * @throws UnpatchableClassException when the class must be left to ASM
     */
    static byte[] patch(String className, byte[] classfile, String queueKey, HookRoute route, HookMatcher matcher) {
        try {
            return patchOrThrow(className, classfile, queueKey, route, matcher);
        } catch (IndexOutOfBoundsException e) {
            throw new UnpatchableClassException("truncated class file", e);
        }
    }

    private static byte[] patchOrThrow(
            String className, byte[] b, String queueKey, HookRoute route, HookMatcher matcher) {
        if (ByteSink.s4(b, 0) != 0xCAFEBABE) {
            throw new UnpatchableClassException("not a class file");
        }
        ConstantPool pool = ConstantPool.read(b, 8);
        int p = pool.end + 6; // access_flags, this_class, super_class
        p += 2 + 2 * ByteSink.u2(b, p);
        p = skipMembers(b, p);
        int methods = ByteSink.u2(b, p);
        p += 2;
        // the Code attribute of each hooked method, and its kind, in file order
        int[] codes = new int[methods];
        EventKind[] kinds = new EventKind[methods];
        int hooked = 0;
        String[] names = matcher.methodNames(className);
        // Names are compared as pool indexes, marked in one pass over the pool: comparing each method's and
        // attribute's name text called a helper per name, often enough for the JIT on a cold JVM (see CodePatcher).
        // Every entry with the text is marked: a pool may repeat a Utf8 entry.
        boolean[] isCode = pool.utf8Marks(CODE);
        boolean[] isHookedName = names == null ? null : pool.utf8Marks(names);
        for (int i = 0; i < methods; i++) {
            int access = ByteSink.u2(b, p);
            int name = ByteSink.u2(b, p + 2);
            int descriptor = ByteSink.u2(b, p + 4);
            int attributes = ByteSink.u2(b, p + 6);
            p += 8;
            int code = -1;
            for (int a = 0; a < attributes; a++) {
                if (isCode[ByteSink.u2(b, p)]) {
                    code = p;
                }
                p += 6 + attributeLength(b, p);
            }
            if ((access & (ACC_STATIC | ACC_ABSTRACT | ACC_NATIVE)) == 0
                    && (isHookedName == null || isHookedName[name])) {
                HookPoint point = matcher.find(className, pool.utf8(name), pool.utf8(descriptor));
                if (point != null) {
                    if (code < 0) {
                        throw new UnpatchableClassException("hooked method without Code");
                    }
                    codes[hooked] = code;
                    kinds[hooked++] = point.kind();
                }
            }
        }
        p = skipAttributes(b, p);
        if (p != b.length) {
            throw new UnpatchableClassException("class file length mismatch");
        }
        if (hooked == 0) {
            return null;
        }

        ExitEventBlock block = new ExitEventBlock(pool.count(), queueKey, route);
        ByteSink constants = block.constants();
        ByteSink out = new ByteSink(b.length + constants.size() + hooked * 1024);
        out.bytes(b, 0, 8).u2(block.constantPoolCount());
        out.bytes(b, 10, pool.end - 10);
        out.bytes(constants.toByteArray(), 0, constants.size());
        int copied = pool.end;
        for (int i = 0; i < hooked; i++) {
            int code = codes[i];
            out.bytes(b, copied, code - copied);
            CodePatcher.patch(b, pool, code, block.block(kinds[i]), out);
            copied = code + 6 + attributeLength(b, code);
        }
        out.bytes(b, copied, b.length - copied);
        return out.toByteArray();
    }

    private static int attributeLength(byte[] b, int at) {
        int length = ByteSink.s4(b, at + 2);
        if (length < 0 || at + 6 + length > b.length) {
            throw new UnpatchableClassException("attribute overruns the class file");
        }
        return length;
    }

    private static int skipAttributes(byte[] b, int p) {
        int attributes = ByteSink.u2(b, p);
        p += 2;
        for (int a = 0; a < attributes; a++) {
            p += 6 + attributeLength(b, p);
        }
        return p;
    }

    /** Skips fields_count and the fields. */
    private static int skipMembers(byte[] b, int p) {
        int members = ByteSink.u2(b, p);
        p += 2;
        for (int i = 0; i < members; i++) {
            p = skipAttributes(b, p + 6);
        }
        return p;
    }
}
