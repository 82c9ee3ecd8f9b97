package io.autoreg.agent.hook;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What hooking {@code ServerSocketChannelImpl} costs the agent's thread in a fresh JVM (docs/benchmarks.md,
 * "Where the agent thread's ~40 ms go"): ASM's {@link HookRewriter} or {@link ReturnHookPatcher}, then
 * {@code ServerSocket} with the same rewriter. Prints wall time and the thread's on-CPU time
 * ({@code /proc/thread-self/schedstat}) of each. Not a test: run one fresh JVM per sample, e.g. against the
 * agent jar (relocated ASM, as the agent loads it):
 * <pre>
 * for i in 1 2 3 4 5; do for v in asm patcher; do
 *   java -cp agent/target/autoreg-agent.jar:agent/target/test-classes io.autoreg.agent.hook.HookRewriteColdBench $v
 * done; done
 * </pre>
 */
public final class HookRewriteColdBench {

    private HookRewriteColdBench() {}

    public static void main(String[] args) throws Exception {
        boolean asm = args.length > 0 && args[0].equals("asm");
        Path modules = FileSystems.getFileSystem(URI.create("jrt:/")).getPath("modules", "java.base");
        byte[] channel = Files.readAllBytes(modules.resolve(HookPoints.SERVER_SOCKET_CHANNEL + ".class"));
        byte[] socket = Files.readAllBytes(modules.resolve(HookPoints.SERVER_SOCKET + ".class"));
        onCpuNanos(); // its own classes loaded before the first sample
        HookPoints.isTargetClass("java/lang/Object"); // loaded when the agent registers its transformer
        StringBuilder line = new StringBuilder(asm ? "asm    " : "patcher");
        line.append(sample(asm, HookPoints.SERVER_SOCKET_CHANNEL, channel));
        line.append(sample(asm, HookPoints.SERVER_SOCKET, socket));
        System.out.println(line);
    }

    private static String sample(boolean asm, String className, byte[] classfile) throws Exception {
        long cpu0 = onCpuNanos();
        long t0 = System.nanoTime();
        byte[] result = asm
                ? HookRewriter.rewrite(className, classfile, ListenerHooks.QUEUE_KEY, HookRoute.SYSTEM_PROPERTIES)
                : ReturnHookPatcher.patch(
                        className, classfile, ListenerHooks.QUEUE_KEY, HookRoute.SYSTEM_PROPERTIES, HookPoints.MATCHER);
        long t1 = System.nanoTime();
        long cpu1 = onCpuNanos();
        if (result == null) {
            throw new IllegalStateException("not rewritten: " + className);
        }
        String simple = className.substring(className.lastIndexOf('/') + 1);
        return String.format(
                "  %s %,d B: %,7d us wall %,7d us cpu",
                simple, classfile.length, (t1 - t0) / 1000, (cpu1 - cpu0) / 1000);
    }

    /** The first field of /proc/thread-self/schedstat: this thread's time on a CPU, in ns. */
    private static long onCpuNanos() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/schedstat"));
        return Long.parseLong(stat.substring(0, stat.indexOf(' ')));
    }
}
