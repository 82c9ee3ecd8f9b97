package io.autoreg.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fixture.patcher.ReturnShapes;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ReturnShapes} patched by {@link ReturnHookPatcher} next to the original: defined by a class
 * loader of its own, the patched class is verified by the JVM (stack map frames included), every method
 * gives the original's result, and each normal return offers exactly one event to the queue.
 */
class ReturnHookPatcherBehaviourTest {

    private static final String KEY = "io.autoreg.agent.test.patcher-events";
    private static final String SHAPES = "fixture/patcher/ReturnShapes";

    /** Every method of ReturnShapes is hooked, bind or close by its name (its nested Pair is not). */
    private static final HookMatcher SHAPES_METHODS = (owner, name, descriptor) ->
            owner.equals(SHAPES) ? new HookPoint(owner, false, name, descriptor, kindOf(name)) : null;

    private final ArrayBlockingQueue<Object> events = new ArrayBlockingQueue<>(100);
    private Object previous;

    private static EventKind kindOf(String method) {
        return (method.hashCode() & 1) == 0 ? EventKind.BIND : EventKind.CLOSE;
    }

    @BeforeEach
    void publishQueue() {
        previous = System.getProperties().put(KEY, events);
    }

    @AfterEach
    void withdrawQueue() {
        if (previous == null) {
            System.getProperties().remove(KEY);
        } else {
            System.getProperties().put(KEY, previous);
        }
    }

    static byte[] classBytes(String internalName) throws IOException {
        try (InputStream in =
                ReturnHookPatcherBehaviourTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines the given classes itself (from the given bytes), and delegates every other class. */
    static final class OwnLoader extends ClassLoader {
        private final java.util.Map<String, byte[]> classes;

        OwnLoader(java.util.Map<String, byte[]> classes) {
            this(classes, OwnLoader.class.getClassLoader());
        }

        OwnLoader(java.util.Map<String, byte[]> classes, ClassLoader parent) {
            super(parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                byte[] bytes = classes.get(name.replace('.', '/'));
                if (bytes == null) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : defineClass(name, bytes, 0, bytes.length);
            }
        }
    }

    private Class<?> patchedShapes() throws Exception {
        return patchedShapes(HookRoute.SYSTEM_PROPERTIES);
    }

    private Class<?> patchedShapes(HookRoute route) throws Exception {
        return patchedShapes(route, OwnLoader.class.getClassLoader());
    }

    /** The fixture patched in one route's form, defined by a loader of its own under {@code parent}. */
    private Class<?> patchedShapes(HookRoute route, ClassLoader parent) throws Exception {
        byte[] patched = ReturnHookPatcher.patch(SHAPES, classBytes(SHAPES), KEY, route, SHAPES_METHODS);
        assertNotNull(patched);
        String pair = SHAPES + "$Pair";
        Class<?> type = new OwnLoader(java.util.Map.of(SHAPES, patched, pair, classBytes(pair)), parent)
                .loadClass(SHAPES.replace('/', '.'));
        assertTrue(type.getClassLoader() instanceof OwnLoader);
        return type;
    }

    private record Call(String method, Object... args) {}

    private static List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        for (int k = -1; k <= 7; k++) {
            calls.add(new Call("tableSwitch", k));
        }
        for (int k : new int[] {-5, 100, 10000, 3}) {
            calls.add(new Call("lookupSwitch", k));
        }
        for (String s : new String[] {"bind", "close", "Aa", "BB", "xyz"}) {
            calls.add(new Call("stringSwitch", s));
        }
        for (int k : new int[] {0, -4, 5}) {
            calls.add(new Call("tryCatchFinally", k));
        }
        calls.add(new Call("finallies"));
        calls.add(new Call("returnInsideTry", 3));
        calls.add(new Call("returnInsideTry", 4));
        calls.add(new Call("throwsOrReturns", 13));
        calls.add(new Call("throwsOrReturns", 12));
        calls.add(new Call("loopWithLongs", 10, 1000L));
        calls.add(new Call("loopWithLongs", 100, 50L));
        calls.add(new Call("loopWithLongs", 300, 100000L));
        calls.add(new Call("doubles", 2.5, 100L, 1.5f));
        calls.add(new Call("doubles", 0.1, -5L, 2f));
        calls.add(new Call("doubles", 0.1, 5L, 0.5f));
        calls.add(new Call("uninitialized", true, 5));
        calls.add(new Call("uninitialized", false, -3));
        for (int k : new int[] {1, 2, 7, 10}) {
            calls.add(new Call("uninitializedTwice", k));
        }
        for (int k : new int[] {-1, 5, 200, 3}) {
            calls.add(new Call("voidReturns", k));
        }
        calls.add(new Call("voids"));
        calls.add(new Call("locked", 5));
        calls.add(new Call("locked", 50));
        for (int k = 0; k <= 25; k++) {
            calls.add(new Call("manyReturns", k));
        }
        for (int k : new int[] {2, 4, 42}) {
            calls.add(new Call("bool", k));
        }
        calls.add(new Call("chars", "abc", 1));
        calls.add(new Call("chars", "abc", 5));
        calls.add(new Call("staticMethod", 4));
        return calls;
    }

    private static Method method(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getDeclaringClass() == type) {
                return m;
            }
        }
        throw new AssertionError("no method " + name);
    }

    /** The result as a comparable string, or the exception's class. */
    private static String outcome(Object target, Method m, Object[] args) throws IllegalAccessException {
        try {
            return "returned " + m.invoke(target, args);
        } catch (InvocationTargetException e) {
            return "threw " + e.getCause().getClass().getName();
        }
    }

    @Test
    void everyPatchedMethodGivesTheOriginalsResultAndOffersOneEventPerNormalReturn() throws Exception {
        assertOriginalResultsAndOneEventPerNormalReturn(patchedShapes(), events);
    }

    private static void assertOriginalResultsAndOneEventPerNormalReturn(
            Class<?> patchedType, java.util.Queue<Object> events) throws Exception {
        Object original = new ReturnShapes();
        Object patched = patchedType.getConstructor().newInstance();
        assertEvent(events.poll(), kindOf("<init>"), patched, "<init>");
        assertNull(events.poll(), "one event for the constructor");

        int returns = 0;
        for (Call call : calls()) {
            Method m = method(ReturnShapes.class, call.method());
            String expected = outcome(original, m, call.args());
            String actual = outcome(patched, method(patchedType, call.method()), call.args());
            assertEquals(expected, actual, call.method() + java.util.Arrays.toString(call.args()));
            boolean hooked = !Modifier.isStatic(m.getModifiers());
            if (hooked && expected.startsWith("returned")) {
                assertEvent(events.poll(), kindOf(call.method()), patched, call.method());
                returns++;
            }
            assertNull(events.poll(), "one event per normal return of " + call.method() + ", none for a throw");
        }
        assertTrue(returns > 70, "normal returns seen: " + returns);
    }

    @Test
    void theFixtureHasFramesWithUninitializedEntries() throws IOException {
        boolean uninitialized = false;
        for (String line : ClassText.of(classBytes(SHAPES))) {
            // a frame's stack lists an Uninitialized(new) entry as the label of its new instruction
            uninitialized |= line.startsWith("  frame ") && line.matches(".*\\[[^\\]]*L\\d+.*\\]\\s*$");
        }
        assertTrue(uninitialized, "ReturnShapes.uninitialized* keep a new object on the stack across a branch");
    }

    private static void assertEvent(Object event, EventKind kind, Object source, String method) {
        assertNotNull(event, method + " offered an event");
        Object[] fields = (Object[]) event;
        assertEquals(kind.wireName(), fields[0], method);
        assertSame(source, fields[1], method);
        if (kind == EventKind.BIND) {
            assertEquals(3, fields.length);
            assertInstanceOf(Throwable.class, fields[2]);
            assertEquals(method, ((Throwable) fields[2]).getStackTrace()[0].getMethodName());
        } else {
            assertEquals(2, fields.length);
        }
    }

    /** The direct form calls HookEvents, whose queue never goes into the system properties. */
    @Test
    void theDirectFormOffersToHookEventsAndRunsWithoutAQueueToo() throws Exception {
        System.getProperties().remove(KEY);
        Class<?> patchedType = patchedShapes(HookRoute.DIRECT);
        ArrayDeque<Object> direct = new ArrayDeque<>();
        HookEvents.publish(direct);
        try {
            Object patched = patchedType.getConstructor().newInstance();
            assertEvent(direct.poll(), kindOf("<init>"), patched, "<init>");
            assertEquals(13, method(patchedType, "tableSwitch").invoke(patched, 3));
            assertEvent(direct.poll(), kindOf("tableSwitch"), patched, "tableSwitch");
            assertNull(direct.poll(), "one event per normal return");
            assertNull(System.getProperties().get(KEY), "nothing in the system properties");
        } finally {
            HookEvents.withdraw(KEY);
        }
        assertRunsAndDropsOnceWithdrawn(patchedType, direct);
    }

    /**
     * The system loader's form finds {@link HookEventSink} by name through the system class loader, from a class whose
     * own loader cannot see the agent's classes (as an OSGi bundle's, or {@code java.base} when the agent runs from the
     * system class loader), and leaves the system properties alone.
     */
    @Test
    void theSystemLoaderFormReachesTheSinkFromALoaderThatCannotSeeTheAgent() throws Exception {
        System.getProperties().remove(KEY);
        assertTrue(HookEventSink.reachableFromSystemLoader(), "the test's class path is the system class loader's");
        Class<?> patchedType = patchedShapes(HookRoute.SYSTEM_LOADER, ClassLoader.getPlatformClassLoader());
        assertThrows(
                ClassNotFoundException.class, () -> patchedType.getClassLoader().loadClass(HookEventSink.NAME));
        ArrayDeque<Object> sunk = new ArrayDeque<>();
        HookEvents.publish(sunk);
        try {
            assertOriginalResultsAndOneEventPerNormalReturn(patchedType, sunk);
            assertNull(System.getProperties().get(KEY), "nothing in the system properties");
        } finally {
            HookEvents.withdraw(KEY);
        }
        assertRunsAndDropsOnceWithdrawn(patchedType, sunk);
    }

    /** After {@link HookEvents#withdraw}: the patched methods still run, and their events go nowhere. */
    private static void assertRunsAndDropsOnceWithdrawn(Class<?> patchedType, java.util.Queue<Object> formerQueue)
            throws Exception {
        Object afterwards = patchedType.getConstructor().newInstance();
        assertEquals("hundred", method(patchedType, "lookupSwitch").invoke(afterwards, 100));
        assertNull(formerQueue.poll(), "withdrawn: the events are dropped");
    }

    @Test
    void withoutTheQueueThePatchedMethodsStillRun() throws Exception {
        System.getProperties().remove(KEY);
        Class<?> patchedType = patchedShapes();
        Object patched = patchedType.getConstructor().newInstance();
        assertEquals(13, method(patchedType, "tableSwitch").invoke(patched, 3));
        assertEquals("hundred", method(patchedType, "lookupSwitch").invoke(patched, 100));
        assertNull(System.getProperties().get(KEY), "the inserted code created no queue of its own");
        assertTrue(events.isEmpty());
    }
}
