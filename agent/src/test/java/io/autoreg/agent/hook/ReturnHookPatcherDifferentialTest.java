package io.autoreg.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.autoreg.agent.testing.Artifacts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * {@link ReturnHookPatcher} against its oracle, ASM's {@link HookRewriter}: both rewrite the same class, and the
 * results must read the same instruction by instruction, with the same exception, line-number and local-variable
 * tables and stack map frames ({@link ClassText}; constant-pool indexes, nop padding and max_stack aside).
 */
class ReturnHookPatcherDifferentialTest {

    private static final String KEY = ListenerHooks.QUEUE_KEY;

    /** Every method the patcher is asked about is hooked (bind or close by its name), for the stress corpus. */
    private static final HookMatcher EVERY_METHOD = (owner, name, descriptor) -> new HookPoint(
            owner, false, name, descriptor, (name.hashCode() & 1) == 0 ? EventKind.BIND : EventKind.CLOSE);

    private static FileSystem thisJdk() {
        return FileSystems.getFileSystem(URI.create("jrt:/"));
    }

    private static FileSystem jdk25() throws IOException {
        return FileSystems.newFileSystem(
                URI.create("jrt:/"), Map.of("java.home", Artifacts.jdk25().toString()));
    }

    private static byte[] read(FileSystem jrt, String internalName) throws IOException {
        return Files.readAllBytes(jrt.getPath("modules", "java.base", internalName + ".class"));
    }

    /** Patches with both and compares; returns the patched class. */
    private static byte[] assertSameAsAsm(String className, byte[] original, HookMatcher matcher) {
        return assertSameAsAsm(className, original, matcher, HookRoute.SYSTEM_PROPERTIES);
    }

    /** As above, in one route's form ({@link HookRoute}). */
    private static byte[] assertSameAsAsm(String className, byte[] original, HookMatcher matcher, HookRoute route) {
        byte[] asm = HookRewriter.rewrite(className, original, KEY, route, matcher);
        byte[] patched = ReturnHookPatcher.patch(className, original, KEY, route, matcher);
        assertNotNull(asm, className + ": ASM found hook points");
        assertNotNull(patched, className + ": the patcher found hook points");
        List<String> text = ClassText.of(patched);
        assertSameText(className, ClassText.of(asm), text);
        assertTrue(exitBlocks(text) > 0, className + ": an exit block was inserted");
        return patched;
    }

    /**
     * The inserted blocks in a class's text: each loads the queue's key once, or the sink's name once, or calls
     * HookEvents once.
     */
    static int exitBlocks(List<String> text) {
        int blocks = 0;
        for (String line : text) {
            if (line.equals("  ldc String " + KEY)
                    || line.equals("  ldc String " + HookEventSink.NAME)
                    || line.startsWith(
                            "  invoke " + Opcodes.INVOKESTATIC + " " + ExitEventBlock.HOOK_EVENTS + " offer ")) {
                blocks++;
            }
        }
        return blocks;
    }

    private static void assertSameText(String className, List<String> expected, List<String> actual) {
        if (expected.equals(actual)) {
            return;
        }
        int i = 0;
        while (i < Math.min(expected.size(), actual.size()) && expected.get(i).equals(actual.get(i))) {
            i++;
        }
        int from = Math.max(0, i - 8);
        fail(className + " differs at line " + i + "\nASM:\n"
                + String.join("\n", expected.subList(from, Math.min(expected.size(), i + 4)))
                + "\npatcher:\n" + String.join("\n", actual.subList(from, Math.min(actual.size(), i + 4))));
    }

    @Test
    void theHookClassesOfThisJdkArePatchedAsAsmRewritesThem() throws IOException {
        for (String jdkClass : HookPoints.JDK_CLASSES) {
            byte[] original = read(thisJdk(), jdkClass);
            for (HookRoute route : HookRoute.values()) {
                byte[] patched = assertSameAsAsm(jdkClass, original, HookPoints.MATCHER, route);
                assertTrue(
                        patched.length > original.length + 2 * 30,
                        jdkClass + ": a bind and a close block were inserted");
            }
        }
    }

    @Test
    void theHookClassesOfJdk25ArePatchedAsAsmRewritesThem() throws IOException {
        try (FileSystem jrt = jdk25()) {
            for (String jdkClass : HookPoints.JDK_CLASSES) {
                byte[] original = read(jrt, jdkClass);
                assertEquals(69, original[7], jdkClass + " is a JDK 25 class file");
                for (HookRoute route : HookRoute.values()) {
                    assertSameAsAsm(jdkClass, original, HookPoints.MATCHER, route);
                }
            }
        }
    }

    @Test
    void nettysEpollChannelsOnTheFixturesClassPathArePatchedAsAsmRewritesThem() throws IOException {
        int found = 0;
        for (String entry : Artifacts.fixturesClasspath().split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (ZipFile jar = new ZipFile(entry)) {
                for (ZipEntry classEntry : java.util.Collections.list(jar.entries())) {
                    String name = classEntry.getName();
                    if (name.endsWith("/channel/epoll/AbstractEpollChannel.class")) {
                        String className = name.substring(0, name.length() - ".class".length());
                        byte[] original = jar.getInputStream(classEntry).readAllBytes();
                        assertSameAsAsm(className, original, HookPoints.MATCHER, HookRoute.SYSTEM_LOADER);
                        assertSameAsAsm(className, original, HookPoints.MATCHER, HookRoute.SYSTEM_PROPERTIES);
                        found++;
                    }
                }
            }
        }
        assertTrue(found >= 2, "Netty's and grpc-netty-shaded's AbstractEpollChannel: " + found);
    }

    @Test
    void aClassWithoutHookPointsIsLeftAlone() throws IOException {
        assertEquals(
                null,
                ReturnHookPatcher.patch(
                        "java/lang/String",
                        read(thisJdk(), "java/lang/String"),
                        KEY,
                        HookRoute.SYSTEM_PROPERTIES,
                        HookPoints.MATCHER));
    }

    /**
     * java.base's {@code java/lang/**} and {@code java/util/**} of this JDK and of JDK 25, every method with
     * code hooked: thousands of methods of every shape javac emits (switches, try/finally, long/double locals,
     * {@code new} across branches, frames of every kind).
     */
    @Test
    void everyMethodOfThousandsOfJdkClassesIsPatchedAsAsmRewritesIt() throws IOException {
        Corpus corpus = new Corpus();
        corpus.scan(thisJdk(), "JDK 17");
        try (FileSystem jrt = jdk25()) {
            corpus.scan(jrt, "JDK 25");
        }
        System.out.println("[patcher corpus] " + corpus.classes + " classes, " + corpus.methods
                + " hooked methods (non-static, with code), " + corpus.returns + " returns patched; "
                + corpus.fallbacks.size() + " classes left to ASM: "
                + corpus.fallbacks);
        assertTrue(corpus.classes > 2000, "a few thousand classes: " + corpus.classes);
        assertTrue(corpus.returns > corpus.methods, "most methods have a return, some several: " + corpus.returns);
        assertTrue(corpus.mismatches.isEmpty(), corpus.mismatches.size() + " differ, first: " + corpus.mismatches);
        for (String reason : corpus.fallbacks.values()) {
            assertTrue(
                    reason.contains("TypeAnnotations in Code")
                            || reason.contains("overflows")
                            || reason.contains("code grows"),
                    "a JDK class left to ASM for a reason other than a documented limit: " + reason);
        }
    }

    private static final class Corpus {
        int classes;
        int methods;
        int returns;
        final Map<String, String> fallbacks = new TreeMap<>();
        final List<String> mismatches = new ArrayList<>();

        void scan(FileSystem jrt, String jdk) throws IOException {
            for (String dir : new String[] {"java/lang", "java/util"}) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(jrt.getPath("modules", "java.base", dir))) {
                    files = walk.filter(f -> f.toString().endsWith(".class"))
                            .sorted()
                            .toList();
                }
                for (Path file : files) {
                    check(jdk, file);
                }
            }
        }

        private void check(String jdk, Path file) throws IOException {
            byte[] original = Files.readAllBytes(file);
            String path = file.toString();
            String className = path.substring("/modules/java.base/".length(), path.length() - ".class".length());
            if (className.endsWith("module-info")) {
                return;
            }
            classes++;
            int[] hooked = {0};
            HookMatcher counting = (owner, name, descriptor) -> {
                hooked[0]++;
                return EVERY_METHOD.find(owner, name, descriptor);
            };
            byte[] patched;
            try {
                patched = ReturnHookPatcher.patch(className, original, KEY, HookRoute.SYSTEM_PROPERTIES, counting);
            } catch (UnpatchableClassException e) {
                fallbacks.put(jdk + " " + className, e.getMessage());
                return;
            }
            methods += hooked[0];
            byte[] asm;
            try {
                asm = HookRewriter.rewrite(className, original, KEY, HookRoute.SYSTEM_PROPERTIES, EVERY_METHOD);
            } catch (RuntimeException e) {
                mismatches.add(jdk + " " + className + ": ASM failed where the patcher did not: " + e);
                return;
            }
            if ((asm == null) != (patched == null)) {
                mismatches.add(jdk + " " + className + ": one found hook points, the other not");
                return;
            }
            if (asm != null) {
                List<String> expected = ClassText.of(asm);
                List<String> actual = ClassText.of(patched);
                returns += exitBlocks(actual);
                if (!expected.equals(actual)) {
                    int i = 0;
                    while (i < Math.min(expected.size(), actual.size()) - 1
                            && expected.get(i).equals(actual.get(i))) {
                        i++;
                    }
                    mismatches.add(jdk + " " + className + " line " + i + ": ASM " + expected.get(i) + " / patcher "
                            + actual.get(i));
                }
            }
        }
    }
}
