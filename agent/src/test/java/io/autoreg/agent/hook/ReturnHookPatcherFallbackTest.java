package io.autoreg.agent.hook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * What {@link ReturnHookPatcher} does not handle throws {@link UnpatchableClassException}, and the transformer
 * then rewrites the class with ASM ({@link HookRewriter}), which stays in the agent jar for this.
 */
class ReturnHookPatcherFallbackTest {

    private static final String KEY = ListenerHooks.QUEUE_KEY;
    private static final String TYPE_ANNOTATED = "fixture/typeannotated/channel/epoll/AbstractEpollChannel";
    private static final String GENERATED = "fixture/generated/Returns";

    private static final HookMatcher GENERATED_METHODS =
            (owner, name, descriptor) -> owner.equals(GENERATED) && name.equals("pick")
                    ? new HookPoint(owner, false, name, descriptor, EventKind.CLOSE)
                    : null;

    @Test
    void aTypeAnnotationInAHookedMethodsCodeIsLeftToAsmAndTheClassStillGetsItsHooks() throws Exception {
        byte[] original = ReturnHookPatcherBehaviourTest.classBytes(TYPE_ANNOTATED);
        UnpatchableClassException refused = assertThrows(
                UnpatchableClassException.class,
                () -> ReturnHookPatcher.patch(
                        TYPE_ANNOTATED, original, KEY, HookRoute.SYSTEM_PROPERTIES, HookPoints.MATCHER));
        assertTrue(refused.getMessage().contains("RuntimeVisibleTypeAnnotations"), refused.getMessage());

        ListenerHookTransformer transformer = new ListenerHookTransformer(KEY);
        byte[] rewritten = transformer.transform(null, TYPE_ANNOTATED, null, null, original);
        assertNotNull(rewritten, "rewritten by ASM");
        assertTrue(transformer.failures().isEmpty(), transformer.failures().toString());
        assertEquals(
                1, transformer.asmRewritten().size(), transformer.asmRewritten().toString());
        assertTrue(transformer.asmRewritten().iterator().next().startsWith(TYPE_ANNOTATED + ": attribute"));

        // the transformer hooks a class so through the system class loader (the agent's classes are its here)
        ArrayBlockingQueue<Object> events = new ArrayBlockingQueue<>(10);
        HookEvents.publish(events);
        try {
            String tagged = TYPE_ANNOTATED + "$Tagged";
            Class<?> type = new ReturnHookPatcherBehaviourTest.OwnLoader(Map.of(
                            TYPE_ANNOTATED, rewritten, tagged, ReturnHookPatcherBehaviourTest.classBytes(tagged)))
                    .loadClass(TYPE_ANNOTATED.replace('/', '.'));
            Object channel = type.getConstructor().newInstance();
            Method doBind = type.getDeclaredMethod("doBind", SocketAddress.class);
            doBind.setAccessible(true);
            InetSocketAddress address = new InetSocketAddress(0);
            doBind.invoke(channel, address);
            assertSame(address, type.getMethod("localAddress").invoke(channel));
            Object[] bind = (Object[]) events.poll();
            assertEquals("bind", bind[0]);
            assertSame(channel, bind[1]);
        } finally {
            HookEvents.withdraw(KEY);
        }
    }

    /**
     * {@code int pick(int k)}: a loop over {@code returns} tests {@code if (k == i) return i;}, so the loop's
     * backward {@code goto} spans every inserted block.
     */
    private static byte[] loopOverReturns(int version, int returns, boolean withJsr) {
        ClassWriter writer =
                new ClassWriter(version >= Opcodes.V1_6 ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS);
        writer.visit(version, Opcodes.ACC_PUBLIC, GENERATED, null, "java/lang/Object", null);
        MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor pick = writer.visitMethod(Opcodes.ACC_PUBLIC, "pick", "(I)I", null, null);
        pick.visitCode();
        if (withJsr) {
            Label subroutine = new Label();
            Label after = new Label();
            pick.visitJumpInsn(Opcodes.JSR, subroutine);
            pick.visitJumpInsn(Opcodes.GOTO, after);
            pick.visitLabel(subroutine);
            pick.visitVarInsn(Opcodes.ASTORE, 2);
            pick.visitVarInsn(Opcodes.RET, 2);
            pick.visitLabel(after);
        }
        Label top = new Label();
        pick.visitLabel(top);
        for (int i = 0; i < returns; i++) {
            Label next = new Label();
            pick.visitVarInsn(Opcodes.ILOAD, 1);
            pick.visitIntInsn(Opcodes.SIPUSH, i);
            pick.visitJumpInsn(Opcodes.IF_ICMPNE, next);
            pick.visitIntInsn(Opcodes.SIPUSH, i);
            pick.visitInsn(Opcodes.IRETURN);
            pick.visitLabel(next);
        }
        pick.visitIincInsn(1, -returns);
        pick.visitJumpInsn(Opcodes.GOTO, top);
        pick.visitMaxs(0, 0);
        pick.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    @Test
    void aBranchThatWouldOverflowIsLeftToAsm() throws Exception {
        byte[] original = loopOverReturns(Opcodes.V17, 700, false);
        UnpatchableClassException refused = assertThrows(
                UnpatchableClassException.class,
                () -> ReturnHookPatcher.patch(
                        GENERATED, original, KEY, HookRoute.SYSTEM_PROPERTIES, GENERATED_METHODS));
        assertTrue(refused.getMessage().contains("overflows"), refused.getMessage());
        byte[] asm = HookRewriter.rewrite(GENERATED, original, KEY, HookRoute.SYSTEM_PROPERTIES, GENERATED_METHODS);
        Class<?> type = new ReturnHookPatcherBehaviourTest.OwnLoader(Map.of(GENERATED, asm))
                .loadClass(GENERATED.replace('/', '.'));
        assertEquals(
                699,
                type.getMethod("pick", int.class).invoke(type.getConstructor().newInstance(), 699 + 700));

        byte[] small = loopOverReturns(Opcodes.V17, 300, false);
        assertNotNull(
                ReturnHookPatcher.patch(GENERATED, small, KEY, HookRoute.SYSTEM_PROPERTIES, GENERATED_METHODS),
                "300 returns fit");
    }

    @Test
    void aMethodGrownPast64KibIsLeftToAsm() {
        byte[] original = loopOverReturns(Opcodes.V17, 2000, false);
        UnpatchableClassException refused = assertThrows(
                UnpatchableClassException.class,
                () -> ReturnHookPatcher.patch(
                        GENERATED, original, KEY, HookRoute.SYSTEM_PROPERTIES, GENERATED_METHODS));
        assertTrue(refused.getMessage().contains("code grows"), refused.getMessage());
    }

    @Test
    void jsrAndRetInAHookedMethodAreLeftToAsm() {
        byte[] original = loopOverReturns(Opcodes.V1_4, 3, true);
        UnpatchableClassException refused = assertThrows(
                UnpatchableClassException.class,
                () -> ReturnHookPatcher.patch(
                        GENERATED, original, KEY, HookRoute.SYSTEM_PROPERTIES, GENERATED_METHODS));
        assertTrue(refused.getMessage().contains("jsr/ret"), refused.getMessage());
        assertNotNull(
                HookRewriter.rewrite(GENERATED, original, KEY, HookRoute.SYSTEM_PROPERTIES, GENERATED_METHODS),
                "ASM rewrites it");
    }

    @Test
    void malformedInputIsRefusedWithTheDedicatedException() throws Exception {
        byte[] serverSocket = Files.readAllBytes(FileSystems.getFileSystem(URI.create("jrt:/"))
                .getPath("modules", "java.base", HookPoints.SERVER_SOCKET + ".class"));
        for (int cut : new int[] {4, 9, 100, serverSocket.length / 2, serverSocket.length - 1}) {
            byte[] truncated = Arrays.copyOf(serverSocket, cut);
            assertThrows(
                    UnpatchableClassException.class,
                    () -> ReturnHookPatcher.patch(
                            HookPoints.SERVER_SOCKET, truncated, KEY, HookRoute.SYSTEM_PROPERTIES, HookPoints.MATCHER),
                    "cut at " + cut);
        }
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0x7f);
        assertThrows(
                UnpatchableClassException.class,
                () -> ReturnHookPatcher.patch(
                        HookPoints.SERVER_SOCKET, garbage, KEY, HookRoute.SYSTEM_PROPERTIES, HookPoints.MATCHER));
        byte[] badTag = serverSocket.clone();
        badTag[10] = 2; // the first constant's tag: 2 is no constant kind
        assertThrows(
                UnpatchableClassException.class,
                () -> ReturnHookPatcher.patch(
                        HookPoints.SERVER_SOCKET, badTag, KEY, HookRoute.SYSTEM_PROPERTIES, HookPoints.MATCHER));
        assertArrayEquals(
                serverSocket,
                Files.readAllBytes(FileSystems.getFileSystem(URI.create("jrt:/"))
                        .getPath("modules", "java.base", HookPoints.SERVER_SOCKET + ".class")),
                "input untouched");
    }
}
