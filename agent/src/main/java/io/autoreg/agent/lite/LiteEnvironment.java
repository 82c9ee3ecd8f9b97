package io.autoreg.agent.lite;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The environment variables the agent's fast path reads — {@code AUTOREG_*} and {@code POD_IP} — taken from
 * {@code /proc/self/environ}, and from {@link System#getenv()} where there is no such file.
 *
 * <p>Why not {@code System.getenv()} at once: its first call builds the JDK's copy of the whole environment, five
 * classes parsed from the runtime image and an object per variable, ~0.7 ms of a cold JVM's CPU (JDK 17 and 25;
 * on JDK 25 it also initialises {@code ProcessImpl}), in every application that never reads its environment
 * itself. The file is the environment the process was started with; {@code System.getenv()} is the C
 * {@code environ} when the JDK first reads it, which differs only by what native code set in between (nothing
 * does so for these names). A value that is not plain ASCII is taken from {@code System.getenv(name)}, so its
 * decoding is the JDK's.
 */
public final class LiteEnvironment {

    private static final String PREFIX = "AUTOREG_";
    private static final String POD_IP = "POD_IP";

    private static volatile Map<String, String> variables;

    private LiteEnvironment() {}

    /** The variables named {@code AUTOREG_*} and {@code POD_IP}; read once per process. */
    public static Map<String, String> variables() {
        Map<String, String> read = variables;
        if (read == null) {
            read = read();
            variables = read;
        }
        return read;
    }

    private static Map<String, String> read() {
        byte[] environ;
        try (FileInputStream in = new FileInputStream("/proc/self/environ")) {
            environ = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return fromSystem();
        }
        return Collections.unmodifiableMap(parse(environ, true, new SystemVariable()));
    }

    /** Where there is no {@code /proc}: the same names, from the JDK's copy. */
    private static Map<String, String> fromSystem() {
        Map<String, String> wanted = new HashMap<>();
        for (Map.Entry<String, String> entry : System.getenv().entrySet()) {
            if (entry.getKey().startsWith(PREFIX) || entry.getKey().equals(POD_IP)) {
                wanted.put(entry.getKey(), entry.getValue());
            }
        }
        return Collections.unmodifiableMap(wanted);
    }

    /**
     * The {@code NAME=value} entries of an environ block ({@code \0}-separated), as the JDK reads them: split at the
     * first {@code =}, none at the start of the entry, a later entry of the same name wins.
     *
     * @param wantedOnly only {@code AUTOREG_*} and {@code POD_IP}
     * @param nonAscii   the value of a variable whose name or value is not plain ASCII (or null to skip it)
     */
    static Map<String, String> parse(byte[] environ, boolean wantedOnly, Function<String, String> nonAscii) {
        Map<String, String> result = new HashMap<>();
        int start = 0;
        while (start < environ.length) {
            int end = start;
            int equals = -1;
            boolean ascii = true;
            while (end < environ.length && environ[end] != 0) {
                if (equals < 0 && environ[end] == '=') {
                    equals = end;
                }
                ascii &= environ[end] >= 0;
                end++;
            }
            if (equals > start && (!wantedOnly || wanted(environ, start, equals))) {
                String name = new String(environ, start, equals - start, StandardCharsets.ISO_8859_1);
                String value = ascii
                        ? new String(environ, equals + 1, end - equals - 1, StandardCharsets.ISO_8859_1)
                        : nonAscii.apply(name);
                if (value != null) {
                    result.put(name, value);
                }
            }
            start = end + 1;
        }
        return result;
    }

    /** Whether the name in {@code environ[start, equals)} is {@code AUTOREG_*} or {@code POD_IP}. */
    private static boolean wanted(byte[] environ, int start, int equals) {
        return (equals - start >= PREFIX.length() && asciiAt(environ, start, PREFIX))
                || (equals - start == POD_IP.length() && asciiAt(environ, start, POD_IP));
    }

    /** Whether {@code environ} holds {@code ascii} at {@code at} (the caller checked the room). */
    private static boolean asciiAt(byte[] environ, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (environ[at + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code System::getenv} as a named class: no lambda on the start-up path (a spun class on a cold JVM). */
    private static final class SystemVariable implements Function<String, String> {
        @Override
        public String apply(String name) {
            return System.getenv(name);
        }
    }
}
