package io.autoreg.agent.hook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which class names carry hooks: the one-character pre-test must never turn a hooked class away. */
class HookPointsTest {

    @Test
    void everyHookedClassPassesThePreTestAndMatches() {
        for (HookPoint point : HookPoints.ALL) {
            String name = point.suffix() ? "io/grpc/netty/shaded/io/netty" + point.classMatch() : point.classMatch();
            assertTrue(HookPoints.mayBeTarget(name), name);
            assertTrue(HookPoints.mayBeTarget(name.replace('/', '.')), "binary name of " + name);
            assertTrue(HookPoints.isTargetClass(name), name);
        }
    }

    /** The scan of loaded classes skips interfaces and final classes on their modifiers (ListenerHooks.isTarget). */
    @Test
    void everyHookedJdkClassCanBeExtended() throws ClassNotFoundException {
        for (String name : HookPoints.JDK_CLASSES) {
            int modifiers = Class.forName(name.replace('/', '.'), false, null).getModifiers();
            assertEquals(0, modifiers & (Modifier.INTERFACE | Modifier.FINAL), name + " is final or an interface");
        }
    }

    /** The runtime's scan looks only at the boot loader's abstract classes once the prepatched ones carry hooks. */
    @Test
    void everyHookedJdkClassNotPrepatchedIsAbstract() throws ClassNotFoundException {
        assertTrue(HookPoints.JDK_CLASSES.containsAll(HookPoints.PREPATCHED));
        for (String name : HookPoints.JDK_CLASSES) {
            if (!HookPoints.PREPATCHED.contains(name)) {
                int modifiers =
                        Class.forName(name.replace('/', '.'), false, null).getModifiers();
                assertTrue(Modifier.isAbstract(modifiers), name + " is not abstract: the scan would not see it");
            }
        }
    }

    /** The patcher decodes only the methods of these names (HookMatcher.methodNames). */
    @Test
    void theMethodNamesOfAClassAreThoseOfItsPoints() {
        assertArrayEquals(new String[] {"bind", "close"}, HookPoints.MATCHER.methodNames(HookPoints.SERVER_SOCKET));
        assertArrayEquals(
                new String[] {"bind", "implCloseSelectableChannel"},
                HookPoints.MATCHER.methodNames(HookPoints.SERVER_SOCKET_CHANNEL));
        assertArrayEquals(
                new String[] {"doBind", "doClose"},
                HookPoints.MATCHER.methodNames("io/grpc/netty/shaded/io/netty/channel/epoll/AbstractEpollChannel"));
        assertArrayEquals(new String[0], HookPoints.MATCHER.methodNames("java/lang/String"));
        for (HookPoint point : HookPoints.ALL) {
            String name = point.suffix() ? "shaded/io/netty" + point.classMatch() : point.classMatch();
            assertTrue(List.of(HookPoints.MATCHER.methodNames(name)).contains(point.method()), point.toString());
        }
    }

    /** isTargetClass is written out without calls per point: it must answer as the points themselves do. */
    @Test
    void isTargetClassAgreesWithThePoints() {
        for (HookPoint point : HookPoints.ALL) {
            assertEquals(point.suffix(), point.classMatch().endsWith(HookPoints.NETTY_TAIL), point.toString());
        }
        List<String> names = new java.util.ArrayList<>();
        for (HookPoint point : HookPoints.ALL) {
            names.add(point.classMatch());
            names.add("a" + point.classMatch());
            names.add(point.classMatch().substring(1));
            names.add("shaded/io/netty" + point.classMatch());
            names.add(point.classMatch() + "Impl");
        }
        names.addAll(List.of("Channel", "io/netty/channel/epoll/EpollChannel", "java/net/ServerSocketImpl"));
        for (String name : names) {
            boolean byPoints = false;
            for (HookPoint point : HookPoints.ALL) {
                byPoints |= point.matchesClass(name);
            }
            assertEquals(byPoints, HookPoints.isTargetClass(name), name);
        }
    }

    @Test
    void otherClassesAreNotTargets() {
        for (String name : new String[] {
            "java/lang/String",
            "java/lang/Object",
            "java/net/Socket",
            "sun/nio/ch/SocketChannelImpl",
            "java/nio/channels/ServerSocketChannel",
            "javax/net/ssl/SSLServerSocket",
            "io/netty/channel/epoll/EpollServerSocketChannel",
            "io/netty/channel/socket/nio/NioServerSocketChannel",
            "",
        }) {
            assertFalse(HookPoints.isTargetClass(name), name);
        }
        assertFalse(HookPoints.isTargetClass(null));
        assertFalse(HookPoints.mayBeTarget("java/util/HashMap"), "most names are turned away by their last character");
    }

    @Test
    void theSinksNameIsTheNameTheInsertedCodeLoads() {
        assertEquals(HookEventSink.class.getName(), HookEventSink.NAME);
    }
}
