package io.autoreg.agent.hook;

import java.util.List;

/**
 * Every path a server socket is bound or closed on (docs/architecture.md, "Hook points").
 *
 * <p>The public {@code bind} of the JDK classes is the stable point: JDK 17 and 21+ differ inside
 * {@code ServerSocketChannelImpl} ({@code netBind}/{@code unixBind}). Netty's native transports bind
 * in native code and never reach the JDK, so their {@code doBind} is hooked by name suffix, which also
 * matches shaded copies such as {@code io.grpc.netty.shaded.io.netty.channel.epoll.AbstractEpollChannel}.
 */
final class HookPoints {

    static final String SERVER_SOCKET = "java/net/ServerSocket";
    static final String SERVER_SOCKET_CHANNEL = "sun/nio/ch/ServerSocketChannelImpl";
    static final String ASYNC_SERVER_SOCKET_CHANNEL = "sun/nio/ch/AsynchronousServerSocketChannelImpl";

    private static final String[] NETTY_NATIVE_CHANNELS = {
        "/channel/epoll/AbstractEpollChannel",
        "/channel/kqueue/AbstractKQueueChannel",
        "/channel/uring/AbstractIoUringChannel",
        "/incubator/channel/uring/AbstractIOUringChannel",
    };

    /** What every Netty name above ends with (HookPointsTest), and no JDK one does. */
    static final String NETTY_TAIL = "Channel";

    static final List<HookPoint> ALL = build();

    /**
     * {@link #ALL} as an array, and the last characters of the hooked classes' names: {@link #isTargetClass} runs for
     * every class loaded while the hooks are in and for every loaded class once, and one character turns away
     * nearly all of them before any name is compared. Through the list's iterator, those calls made
     * {@code ImmutableCollections}' iterator methods hot enough for C2 in a cold JVM (docs/benchmarks.md).
     */
    private static final HookPoint[] POINTS = ALL.toArray(new HookPoint[0]);

    private static final String LAST_CHARACTERS = lastCharacters();

    /** {@link #find} as a {@link HookMatcher} (a named class, not a method reference: no spun class on a cold JVM). */
    static final HookMatcher MATCHER = new Matcher();

    /** The JDK classes, loaded early (often before the hooks are in): they are retransformed. */
    static final List<String> JDK_CLASSES = List.of(SERVER_SOCKET, SERVER_SOCKET_CHANNEL, ASYNC_SERVER_SOCKET_CHANNEL);

    /**
     * The JDK classes loaded patched before the application listens ({@link ListenerHooks#prepatchJdkClasses}): those
     * that nearly every server binds through. Not {@link #ASYNC_SERVER_SOCKET_CHANNEL}: few applications use it, and
     * loading it costs five classes parsed from the runtime image (it and its interfaces) for nothing; one that does
     * is patched as it loads once the hooks are in, or found by the runtime's scan, which looks only at the boot
     * loader's abstract classes: every JDK class with hooks that is not prepatched is abstract (HookPointsTest).
     */
    static final List<String> PREPATCHED = List.of(SERVER_SOCKET, SERVER_SOCKET_CHANNEL);

    /** {@link #JDK_CLASSES} as an array, for {@link #isTargetClass} (no list iterator there: see {@link #POINTS}). */
    private static final String[] JDK_CLASS_NAMES = JDK_CLASSES.toArray(new String[0]);

    private HookPoints() {}

    private static List<HookPoint> build() {
        List<HookPoint> points = new java.util.ArrayList<>(List.of(
                new HookPoint(SERVER_SOCKET, false, "bind", "(Ljava/net/SocketAddress;I)V", EventKind.BIND),
                new HookPoint(SERVER_SOCKET, false, "close", "()V", EventKind.CLOSE),
                new HookPoint(
                        SERVER_SOCKET_CHANNEL,
                        false,
                        "bind",
                        "(Ljava/net/SocketAddress;I)Ljava/nio/channels/ServerSocketChannel;",
                        EventKind.BIND),
                new HookPoint(SERVER_SOCKET_CHANNEL, false, "implCloseSelectableChannel", "()V", EventKind.CLOSE),
                new HookPoint(
                        ASYNC_SERVER_SOCKET_CHANNEL,
                        false,
                        "bind",
                        "(Ljava/net/SocketAddress;I)Ljava/nio/channels/AsynchronousServerSocketChannel;",
                        EventKind.BIND),
                new HookPoint(ASYNC_SERVER_SOCKET_CHANNEL, false, "close", "()V", EventKind.CLOSE)));
        for (String netty : NETTY_NATIVE_CHANNELS) {
            points.add(new HookPoint(netty, true, "doBind", "(Ljava/net/SocketAddress;)V", EventKind.BIND));
            points.add(new HookPoint(netty, true, "doClose", "()V", EventKind.CLOSE));
        }
        return List.copyOf(points);
    }

    private static String lastCharacters() {
        StringBuilder last = new StringBuilder();
        for (HookPoint point : ALL) {
            char c = point.classMatch().charAt(point.classMatch().length() - 1);
            if (last.indexOf(String.valueOf(c)) < 0) {
                last.append(c);
            }
        }
        return last.toString();
    }

    /** Whether a class of this name (internal or binary: the last character is the same) can be a hooked one. */
    static boolean mayBeTarget(String name) {
        return name != null && !name.isEmpty() && LAST_CHARACTERS.indexOf(name.charAt(name.length() - 1)) >= 0;
    }

    static boolean isTargetClass(String internalName) {
        if (!mayBeTarget(internalName)) {
            return false;
        }
        // The same answer as asking each point's matchesClass (HookPointsTest), written with JDK calls only: this
        // runs for every class that passes the pre-test, and a call per point would make matchesClass hot enough
        // for the JIT on a cold JVM.
        if (internalName.endsWith(NETTY_TAIL)) {
            for (String netty : NETTY_NATIVE_CHANNELS) {
                if (internalName.endsWith(netty)) {
                    return true;
                }
            }
            return false;
        }
        for (String jdk : JDK_CLASS_NAMES) {
            if (internalName.equals(jdk)) {
                return true;
            }
        }
        return false;
    }

    static HookPoint find(String internalName, String method, String descriptor) {
        for (HookPoint point : POINTS) {
            if (point.matchesClass(internalName) && point.matchesMethod(method, descriptor)) {
                return point;
            }
        }
        return null;
    }

    /** The distinct method names hooked in this class (empty when none is). */
    static String[] methodNames(String internalName) {
        String[] names = new String[POINTS.length];
        int count = 0;
        for (HookPoint point : POINTS) {
            if (point.matchesClass(internalName) && !contains(names, count, point.method())) {
                names[count++] = point.method();
            }
        }
        return java.util.Arrays.copyOf(names, count);
    }

    private static boolean contains(String[] names, int count, String name) {
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static final class Matcher implements HookMatcher {
        @Override
        public HookPoint find(String internalClassName, String method, String descriptor) {
            return HookPoints.find(internalClassName, method, descriptor);
        }

        @Override
        public String[] methodNames(String internalClassName) {
            return HookPoints.methodNames(internalClassName);
        }
    }
}
