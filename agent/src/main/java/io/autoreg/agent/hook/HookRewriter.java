package io.autoreg.agent.hook;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites a hooked class with the ASM bundled with Byte Buddy: an {@link ExitEventInserter} on each hook
 * point, every other method copied as it is (the writer shares the reader's constant pool).
 *
 * <p>The fallback only: the agent patches hooked classes with {@link ReturnHookPatcher}, which loads no ASM,
 * and comes here only for a class the patcher does not handle ({@link UnpatchableClassException}). It is also
 * the patcher's oracle in the tests ({@code ReturnHookPatcherDifferentialTest}).
 *
 * <p>Frames are left as they are ({@link ClassWriter#COMPUTE_MAXS} only): the inserted code is
 * straight-line and stack-neutral, so existing stack map frames stay valid.
 */
final class HookRewriter {

    private HookRewriter() {}

    /**
     * Returns the rewritten class, or null when none of its methods is a hook point.
     *
     * @param route how the hooks reach the agent's queue (under {@code queueKey} in the system properties as the last resort)
     */
    static byte[] rewrite(String className, byte[] classfile, String queueKey, HookRoute route) {
        return rewrite(className, classfile, queueKey, route, HookPoints.MATCHER);
    }

    /** As {@link #rewrite(String, byte[], String, HookRoute)}, with the hooked methods chosen by {@code matcher}. */
    static byte[] rewrite(String className, byte[] classfile, String queueKey, HookRoute route, HookMatcher matcher) {
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        boolean[] changed = {false};
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                        HookPoint point =
                                (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
                                        ? matcher.find(className, name, descriptor)
                                        : null;
                        if (point == null) {
                            return mv;
                        }
                        changed[0] = true;
                        return new ExitEventInserter(mv, point.kind(), queueKey, route);
                    }
                },
                0);
        return changed[0] ? writer.toByteArray() : null;
    }
}
