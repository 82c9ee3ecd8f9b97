package io.autoreg.agent.hook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenerHookTransformerTest {

    private static final String FIXTURE = "fixture/shaded/channel/epoll/AbstractEpollChannel";
    private final ListenerHookTransformer transformer = new ListenerHookTransformer(ListenerHooks.QUEUE_KEY);

    @AfterEach
    void withdrawQueue() {
        HookEvents.withdraw(ListenerHooks.QUEUE_KEY);
    }

    /**
     * Loads the rewritten fixture in a loader of its own that sees the JDK only: the JVM's verifier checks the inserted
     * code, and the hooks can reach the agent through the system class loader alone.
     */
    private Class<?> rewrittenFixture() throws IOException {
        byte[] original;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(FIXTURE + ".class")) {
            original = in.readAllBytes();
        }
        byte[] rewritten = transformer.transform(null, FIXTURE, null, null, original);
        assertNotNull(rewritten, "the suffix .../channel/epoll/AbstractEpollChannel matches a shaded copy");
        return new ClassLoader(null) {
            Class<?> define() {
                return defineClass(FIXTURE.replace('/', '.'), rewritten, 0, rewritten.length);
            }
        }.define();
    }

    private static void invoke(Object target, String method, Class<?> type, Object arg) throws Exception {
        Method m = target.getClass().getDeclaredMethod(method, type == null ? new Class<?>[0] : new Class<?>[] {type});
        m.setAccessible(true);
        try {
            if (type == null) {
                m.invoke(target);
            } else {
                m.invoke(target, arg);
            }
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void aNormalExitOffersBindAndCloseEventsWithTheSourceAndTheCallersStack() throws Exception {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        HookEvents.publish(queue);
        Object channel = rewrittenFixture().getConstructor().newInstance();

        invoke(channel, "doBind", SocketAddress.class, new InetSocketAddress(0));
        invoke(channel, "doClose", null, null);

        Object[] bind = (Object[]) queue.poll();
        assertEquals("bind", bind[0]);
        assertSame(channel, bind[1]);
        assertInstanceOf(Throwable.class, bind[2]);
        assertTrue(
                ((Throwable) bind[2]).getStackTrace()[0].getMethodName().equals("doBind"),
                "stack captured inside doBind");
        Object[] close = (Object[]) queue.poll();
        assertArrayEquals(new Object[] {"close", channel}, close);
        assertNull(queue.poll());
        assertNull(
                System.getProperties().get(ListenerHooks.QUEUE_KEY),
                "the agent's classes are the system class loader's here (as for a renamed jar): the hooks reach them"
                        + " through it, not through the system properties");
    }

    @Test
    void aBindThatThrowsReportsNothing() throws Exception {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        HookEvents.publish(queue);
        Object channel = rewrittenFixture().getConstructor().newInstance();
        assertThrows(IOException.class, () -> invoke(channel, "doBind", SocketAddress.class, null));
        assertNull(queue.poll());
    }

    @Test
    void withoutTheAgentsQueueTheHookedMethodsStillWork() throws Exception {
        assertNull(System.getProperties().get(ListenerHooks.QUEUE_KEY), "no agent queue in this JVM");
        Object channel = rewrittenFixture().getConstructor().newInstance();
        InetSocketAddress address = new InetSocketAddress(0);

        invoke(channel, "doBind", SocketAddress.class, address);
        assertSame(address, channel.getClass().getMethod("localAddress").invoke(channel), "the original bind body ran");
        invoke(channel, "doClose", null, null);
        assertNull(channel.getClass().getMethod("localAddress").invoke(channel), "the original close body ran");
        assertNull(System.getProperties().get(ListenerHooks.QUEUE_KEY), "the hook created no queue of its own");
    }

    @Test
    void theJdkServerSocketClassesOfThisJdkAreRewritten() throws IOException {
        for (String jdkClass : HookPoints.JDK_CLASSES) {
            byte[] original = Files.readAllBytes(FileSystems.getFileSystem(URI.create("jrt:/"))
                    .getPath("modules", "java.base", jdkClass + ".class"));
            assertNotNull(
                    transformer.rewrite(jdkClass, original, HookRoute.SYSTEM_PROPERTIES),
                    jdkClass + " has its hook points");
        }
        assertTrue(transformer.failures().isEmpty(), transformer.failures().toString());
    }

    @Test
    void aHookedClassLoadedByTheApplicationIsLeftForTheAgentsThreadButRetransformationRewritesIt() throws IOException {
        byte[] original;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(FIXTURE + ".class")) {
            original = in.readAllBytes();
        }
        java.util.List<String> deferred = new java.util.ArrayList<>();
        Thread agentThread = new Thread(() -> {});
        ListenerHookTransformer late =
                new ListenerHookTransformer(ListenerHooks.QUEUE_KEY, (name, loader) -> deferred.add(name), agentThread);
        assertNull(late.transform(null, FIXTURE, null, null, original), "not rewritten on the loading thread");
        assertEquals(java.util.List.of(FIXTURE), deferred);
        assertNotNull(
                late.transform(null, FIXTURE, Object.class, null, original), "a retransformation is rewritten at once");
        assertEquals(1, deferred.size());
    }

    @Test
    void otherClassesAreLeftAlone() {
        assertNull(transformer.transform(null, "java/lang/String", null, null, new byte[0]));
        assertNull(transformer.transform(null, "com/example/ServerSocket", null, null, new byte[0]));
    }
}
