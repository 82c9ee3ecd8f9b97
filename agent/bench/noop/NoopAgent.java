import java.lang.instrument.Instrumentation;

/** A Java agent that does nothing: the benchmark's floor, what any -javaagent costs the JVM by itself. */
public final class NoopAgent {
    private NoopAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
    }
}
