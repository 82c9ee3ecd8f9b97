package io.autoreg.agent.hook;

/**
 * The bytes {@link ReturnHookPatcher} inserts before each return: the same instructions as
 * {@link ExitEventInserter} (whose javadoc says why they look like this, in both forms), over constant-pool entries
 * appended to the class's pool. Strings are loaded with {@code ldc_w}, so the appended indexes may exceed 255, and the
 * block is padded with {@code nop}s to a multiple of 4 bytes, so that the padding of every
 * {@code tableswitch}/{@code lookupswitch} after it stays as it is.
 */
final class ExitEventBlock {

    private static final int NOP = 0x00;
    private static final int ICONST_0 = 0x03;
    private static final int AALOAD = 0x32;
    private static final int ALOAD_0 = 0x2a;
    private static final int LDC_W = 0x13;
    private static final int AASTORE = 0x53;
    private static final int POP = 0x57;
    private static final int DUP = 0x59;
    private static final int INVOKEVIRTUAL = 0xb6;
    private static final int INVOKESPECIAL = 0xb7;
    private static final int INVOKESTATIC = 0xb8;
    private static final int INVOKEINTERFACE = 0xb9;
    private static final int NEW = 0xbb;
    private static final int ANEWARRAY = 0xbd;
    private static final int CHECKCAST = 0xc0;

    /** The class the direct form calls ({@link HookEvents}). */
    static final String HOOK_EVENTS = "io/autoreg/agent/hook/HookEvents";

    /**
     * Operand stack the block needs above what is on the stack at the return (bind: 6 at {@code new Throwable}, 5 in
     * the direct form; the system loader form's look-up needs 3).
     */
    static final int EXTRA_STACK = 6;

    private final ByteSink constants = new ByteSink(512);
    private int next;

    /** How the block reaches the agent's queue. */
    private final HookRoute route;

    private final int getProperties;
    private final int queueKey;
    private final int propertiesGet;
    private final int arrayDeque;
    private final int arrayDequeInit;
    private final int requireNonNullElse;
    private final int queue;
    private final int hookEventsOffer;
    private final int sinkName;
    private final int getSystemClassLoader;
    private final int forName;
    private final int getEnumConstants;
    private final int consumer;
    private final int accept;
    private final int object;
    private final int bindName;
    private final int closeName;
    private final int throwable;
    private final int throwableInit;
    private final int offer;

    private byte[] bind;
    private byte[] close;

    /**
     * @param firstIndex the class's constant_pool_count: the index the first appended entry gets
     * @param route      how the inserted code reaches the agent's queue
     */
    ExitEventBlock(int firstIndex, String queueKeyValue, HookRoute route) {
        next = firstIndex;
        this.route = route;
        int init = utf8("<init>");
        int noArgs = utf8("()V");
        int objectName = utf8("java/lang/Object");
        hookEventsOffer = route == HookRoute.DIRECT
                ? methodref(10, classRef(utf8(HOOK_EVENTS)), "offer", utf8("(Ljava/lang/Object;)V"))
                : 0;
        if (route == HookRoute.SYSTEM_LOADER) {
            sinkName = string(HookEventSink.NAME);
            int classLoader = classRef(utf8("java/lang/ClassLoader"));
            getSystemClassLoader =
                    methodref(10, classLoader, "getSystemClassLoader", utf8("()Ljava/lang/ClassLoader;"));
            int classClass = classRef(utf8("java/lang/Class"));
            forName = methodref(
                    10, classClass, "forName", utf8("(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;"));
            getEnumConstants = methodref(10, classClass, "getEnumConstants", utf8("()[Ljava/lang/Object;"));
            consumer = classRef(utf8("java/util/function/Consumer"));
            accept = methodref(11, consumer, "accept", utf8("(Ljava/lang/Object;)V"));
        } else {
            sinkName = getSystemClassLoader = forName = getEnumConstants = consumer = accept = 0;
        }
        if (route == HookRoute.SYSTEM_PROPERTIES) {
            getProperties = methodref(
                    10, classRef(utf8("java/lang/System")), "getProperties", utf8("()Ljava/util/Properties;"));
            queueKey = string(queueKeyValue);
            propertiesGet = methodref(
                    10, classRef(utf8("java/util/Properties")), "get", utf8("(Ljava/lang/Object;)Ljava/lang/Object;"));
            arrayDeque = classRef(utf8("java/util/ArrayDeque"));
            arrayDequeInit = methodref(10, arrayDeque, init, noArgs);
            requireNonNullElse = methodref(
                    10,
                    classRef(utf8("java/util/Objects")),
                    "requireNonNullElse",
                    utf8("(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;"));
            queue = classRef(utf8("java/util/Queue"));
        } else {
            getProperties = queueKey = propertiesGet = arrayDeque = arrayDequeInit = requireNonNullElse = queue = 0;
        }
        object = classRef(objectName);
        bindName = string(EventKind.BIND.wireName());
        closeName = string(EventKind.CLOSE.wireName());
        throwable = classRef(utf8("java/lang/Throwable"));
        throwableInit = methodref(10, throwable, init, noArgs);
        offer = route == HookRoute.SYSTEM_PROPERTIES ? methodref(11, queue, "offer", utf8("(Ljava/lang/Object;)Z")) : 0;
        if (next > 0xFFFF) {
            throw new UnpatchableClassException("constant pool full");
        }
    }

    /** The constant_pool_count after the appended entries. */
    int constantPoolCount() {
        return next;
    }

    /** The appended entries, to follow the class's own. */
    ByteSink constants() {
        return constants;
    }

    byte[] block(EventKind kind) {
        if (kind == EventKind.BIND) {
            if (bind == null) {
                bind = build(true);
            }
            return bind;
        }
        if (close == null) {
            close = build(false);
        }
        return close;
    }

    private byte[] build(boolean isBind) {
        ByteSink code = new ByteSink(64);
        if (route == HookRoute.SYSTEM_LOADER) {
            code.u1(LDC_W).u2(sinkName);
            code.u1(ICONST_0 + 1);
            code.u1(INVOKESTATIC).u2(getSystemClassLoader);
            code.u1(INVOKESTATIC).u2(forName);
            code.u1(INVOKEVIRTUAL).u2(getEnumConstants);
            code.u1(ICONST_0).u1(AALOAD);
            code.u1(CHECKCAST).u2(consumer);
        } else if (route == HookRoute.SYSTEM_PROPERTIES) {
            code.u1(INVOKESTATIC).u2(getProperties);
            code.u1(LDC_W).u2(queueKey);
            code.u1(INVOKEVIRTUAL).u2(propertiesGet);
            code.u1(NEW).u2(arrayDeque);
            code.u1(DUP);
            code.u1(INVOKESPECIAL).u2(arrayDequeInit);
            code.u1(INVOKESTATIC).u2(requireNonNullElse);
            code.u1(CHECKCAST).u2(queue);
        }
        code.u1(ICONST_0 + (isBind ? 3 : 2));
        code.u1(ANEWARRAY).u2(object);
        code.u1(DUP).u1(ICONST_0);
        code.u1(LDC_W).u2(isBind ? bindName : closeName);
        code.u1(AASTORE);
        code.u1(DUP).u1(ICONST_0 + 1).u1(ALOAD_0).u1(AASTORE);
        if (isBind) {
            code.u1(DUP).u1(ICONST_0 + 2);
            code.u1(NEW).u2(throwable).u1(DUP).u1(INVOKESPECIAL).u2(throwableInit);
            code.u1(AASTORE);
        }
        if (route == HookRoute.DIRECT) {
            code.u1(INVOKESTATIC).u2(hookEventsOffer);
        } else if (route == HookRoute.SYSTEM_LOADER) {
            code.u1(INVOKEINTERFACE).u2(accept).u1(1 + 1).u1(0);
        } else {
            code.u1(INVOKEINTERFACE).u2(offer).u1(1 + 1).u1(0);
            code.u1(POP);
        }
        while ((code.size() & 3) != 0) {
            code.u1(NOP);
        }
        return code.toByteArray();
    }

    private int utf8(String ascii) {
        constants.u1(1).u2(ascii.length()).ascii(ascii);
        return next++;
    }

    private int classRef(int name) {
        constants.u1(7).u2(name);
        return next++;
    }

    private int string(String ascii) {
        int value = utf8(ascii);
        constants.u1(8).u2(value);
        return next++;
    }

    private int methodref(int tag, int owner, String name, int descriptor) {
        return methodref(tag, owner, utf8(name), descriptor);
    }

    private int methodref(int tag, int owner, int name, int descriptor) {
        constants.u1(12).u2(name).u2(descriptor);
        int nameAndType = next++;
        constants.u1(tag).u2(owner).u2(nameAndType);
        return next++;
    }
}
