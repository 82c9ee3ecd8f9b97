package io.autoreg.sidecar.exec;

import io.autoreg.core.internal.log.Log;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Forwards SIGTERM, SIGINT and SIGHUP to the wrapped command, keeping the sidecar alive until the
 * command has exited so it can exit with the command's code.
 *
 * <p>Why {@code sun.misc.Signal} and not a shutdown hook: a hook cannot tell which signal arrived (a
 * SIGHUP would reach the child as a SIGTERM) and it runs while the JVM is already exiting, so the child's
 * exit code could only be reported with {@code Runtime.halt}. {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, present in every OpenJDK build) replaces the JVM's own handlers for exactly
 * these signals. It is used reflectively because javac's "internal proprietary API" warning cannot be
 * suppressed and the build is warning-free. Where it is missing, {@link #install} answers false and the
 * caller falls back to a shutdown hook that sends SIGTERM.
 *
 * <p>Java can only send SIGTERM/SIGKILL to a child ({@code Process.destroy}), so SIGINT and SIGHUP are
 * sent with {@code kill -s NAME PID}; SIGTERM falls back to {@code destroy()} if {@code kill} is missing.
 */
final class SignalForwarder {
    static final List<String> SIGNALS = List.of("TERM", "INT", "HUP");

    private final AtomicReference<Process> child = new AtomicReference<>();
    /** A signal that arrived before the child existed: delivered as soon as it is spawned. */
    private final AtomicReference<String> early = new AtomicReference<>();

    boolean install() {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method getName = signalType.getMethod("getName");
            InvocationHandler onSignal = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle":
                        forward((String) getName.invoke(args[0]));
                        return null;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        return "SignalForwarder";
                }
            };
            Object handler = Proxy.newProxyInstance(
                    SignalForwarder.class.getClassLoader(), new Class<?>[] {handlerType}, onSignal);
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            for (String name : SIGNALS) {
                handle.invoke(null, signalType.getConstructor(String.class).newInstance(name), handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Log.warn("cannot install signal handlers, falling back to a shutdown hook (SIGTERM only)", e);
            return false;
        }
    }

    /** The child that signals go to from now on; delivers a signal that arrived while it was being spawned. */
    void attach(Process process) {
        child.set(process);
        String pending = early.getAndSet(null);
        if (pending != null) {
            forward(pending);
        }
    }

    void forward(String signal) {
        Process process = child.get();
        if (process == null) {
            early.set(signal);
            return;
        }
        if (!process.isAlive()) {
            return;
        }
        Log.info("forwarding SIG" + signal + " to " + process.pid());
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, String.valueOf(process.pid()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (kill.waitFor() == 0) {
                return;
            }
        } catch (IOException e) {
            Log.debug("kill(1) not available", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (signal.equals("TERM")) {
            process.destroy();
        } else {
            Log.warn("could not forward SIG" + signal + " to " + process.pid());
        }
    }
}
