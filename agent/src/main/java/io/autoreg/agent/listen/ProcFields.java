package io.autoreg.agent.listen;

/**
 * Fields of a {@code /proc} line (the TCP tables' rows, {@code /proc/self/stat}), found in place in the bytes read:
 * the agent reads them in a cold JVM, where each String and each split would cost more than the read itself.
 */
public final class ProcFields {

    private ProcFields() {}

    /**
     * Where the {@code n}th space-separated field (1-based) of the row in {@code bytes[from, to)} lies: its start
     * in the high 32 bits and its end in the low ones, or -1 if the row has fewer fields. No allocation: most
     * rows of the TCP tables are other processes' connections.
     */
    public static long field(byte[] bytes, int from, int to, int n) {
        int field = 0;
        int i = from;
        while (i < to) {
            while (i < to && bytes[i] == ' ') {
                i++;
            }
            int start = i;
            while (i < to && bytes[i] != ' ') {
                i++;
            }
            if (start == i) {
                return -1;
            }
            if (++field == n) {
                return ((long) start << 32) | i;
            }
        }
        return -1;
    }

    /** The unsigned decimal number in {@code bytes[from, to)}, or -1 when it is empty or not one. */
    public static long decimal(byte[] bytes, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
