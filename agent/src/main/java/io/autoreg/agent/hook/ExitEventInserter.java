package io.autoreg.agent.hook;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * ASM's form of the exit event (the fallback, {@link HookRewriter}); {@link ExitEventBlock} writes the same
 * instructions as bytes for {@link ReturnHookPatcher}, which the agent uses, and the two must stay the same
 * ({@code ReturnHookPatcherDifferentialTest} compares them).
 *
 * <p>Inserts, before every normal return of a hooked method, the equivalent of (one form per {@link HookRoute})
 * <pre>{@code
 * io.autoreg.agent.hook.HookEvents.offer(new Object[] {"bind", this, new Throwable()});   // "close": no Throwable
 * }</pre>
 * in a class of the boot loader when the agent's classes come from there too (the direct form: the JDK makes a module
 * whose class an agent transformed read the boot loader's unnamed module, so {@code java.base} may call it); else
 * <pre>{@code
 * ((java.util.function.Consumer) Class.forName("io.autoreg.agent.hook.HookEventSink", true,
 *         ClassLoader.getSystemClassLoader()).getEnumConstants()[0])
 *     .accept(new Object[] {"bind", this, new Throwable()});
 * }</pre>
 * (the system loader form, for a class that cannot name the agent's: {@link HookEventSink}); or, the last resort,
 * <pre>{@code
 * ((java.util.Queue) java.util.Objects.requireNonNullElse(
 *         System.getProperties().get(KEY), new java.util.ArrayDeque()))
 *     .offer(new Object[] {"bind", this, new Throwable()});
 * }</pre>
 * None of the first two puts anything into the system properties ({@link HookEvents}).
 *
 * <p>Why it looks like this:
 * <ul>
 *   <li>Only bootstrap types, so the same code works inside {@code java.base} and inside Netty classes
 *       of any class loader, whichever loader the agent's own classes come from (the boot loader, or the system
 *       class loader for a renamed jar and for {@code attach}), with no bridge class.</li>
 *   <li>No branches and no exception handler, so no stack map frame has to be computed (computing
 *       frames may load classes in the middle of a transformation), and the patcher only has to move the
 *       existing frames. If the agent's queue is missing ({@code System.setProperties} replaced the table), the
 *       last resort's event goes into a throw-away deque instead of throwing into the application's bind; the
 *       system loader form is only inserted once the agent has found its sink through that loader, and a class
 *       once found there stays found.</li>
 *   <li>No invokestatic on an interface, which class files older than Java 8 (Netty 4.1) may not use.</li>
 *   <li>Only exits by return are instrumented: a bind that throws is not reported. The bound address
 *       is read later on the agent's thread; the {@code Throwable} captures the caller's stack so that
 *       JDK-internal listeners (JMX, RMI) can be recognised there. {@code offer} on a bounded queue
 *       never blocks and never throws.</li>
 * </ul>
 */
final class ExitEventInserter extends MethodVisitor {

    private final EventKind kind;
    private final String queueKey;
    private final HookRoute route;

    ExitEventInserter(MethodVisitor delegate, EventKind kind, String queueKey, HookRoute route) {
        super(Opcodes.ASM9, delegate);
        this.kind = kind;
        this.queueKey = queueKey;
        this.route = route;
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            emitEvent();
        }
        super.visitInsn(opcode);
    }

    private void emitEvent() {
        MethodVisitor mv = this.mv;
        if (route == HookRoute.SYSTEM_LOADER) {
            mv.visitLdcInsn(HookEventSink.NAME);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitMethodInsn(
                    Opcodes.INVOKESTATIC,
                    "java/lang/ClassLoader",
                    "getSystemClassLoader",
                    "()Ljava/lang/ClassLoader;",
                    false);
            mv.visitMethodInsn(
                    Opcodes.INVOKESTATIC,
                    "java/lang/Class",
                    "forName",
                    "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;",
                    false);
            mv.visitMethodInsn(
                    Opcodes.INVOKEVIRTUAL, "java/lang/Class", "getEnumConstants", "()[Ljava/lang/Object;", false);
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitInsn(Opcodes.AALOAD);
            mv.visitTypeInsn(Opcodes.CHECKCAST, "java/util/function/Consumer");
        } else if (route == HookRoute.SYSTEM_PROPERTIES) {
            mv.visitMethodInsn(
                    Opcodes.INVOKESTATIC, "java/lang/System", "getProperties", "()Ljava/util/Properties;", false);
            mv.visitLdcInsn(queueKey);
            mv.visitMethodInsn(
                    Opcodes.INVOKEVIRTUAL,
                    "java/util/Properties",
                    "get",
                    "(Ljava/lang/Object;)Ljava/lang/Object;",
                    false);
            mv.visitTypeInsn(Opcodes.NEW, "java/util/ArrayDeque");
            mv.visitInsn(Opcodes.DUP);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/util/ArrayDeque", "<init>", "()V", false);
            mv.visitMethodInsn(
                    Opcodes.INVOKESTATIC,
                    "java/util/Objects",
                    "requireNonNullElse",
                    "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;",
                    false);
            mv.visitTypeInsn(Opcodes.CHECKCAST, "java/util/Queue");
        }
        boolean bind = kind == EventKind.BIND;
        mv.visitInsn(bind ? Opcodes.ICONST_3 : Opcodes.ICONST_2);
        mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        mv.visitInsn(Opcodes.DUP);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitLdcInsn(kind.wireName());
        mv.visitInsn(Opcodes.AASTORE);
        mv.visitInsn(Opcodes.DUP);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.AASTORE);
        if (bind) {
            mv.visitInsn(Opcodes.DUP);
            mv.visitInsn(Opcodes.ICONST_2);
            mv.visitTypeInsn(Opcodes.NEW, "java/lang/Throwable");
            mv.visitInsn(Opcodes.DUP);
            mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Throwable", "<init>", "()V", false);
            mv.visitInsn(Opcodes.AASTORE);
        }
        if (route == HookRoute.DIRECT) {
            mv.visitMethodInsn(
                    Opcodes.INVOKESTATIC, ExitEventBlock.HOOK_EVENTS, "offer", "(Ljava/lang/Object;)V", false);
        } else if (route == HookRoute.SYSTEM_LOADER) {
            mv.visitMethodInsn(
                    Opcodes.INVOKEINTERFACE, "java/util/function/Consumer", "accept", "(Ljava/lang/Object;)V", true);
        } else {
            mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/Queue", "offer", "(Ljava/lang/Object;)Z", true);
            mv.visitInsn(Opcodes.POP);
        }
    }
}
