package io.autoreg.sidecar.ops.output;

import java.time.Instant;

/** Epoch milliseconds as people read them in a table: {@code 12s ago}, {@code 4m10s ago}, {@code in 18s}. */
public final class HumanTime {
    private HumanTime() {}

    /** {@code at} relative to {@code now}: "12s ago" for the past, "in 12s" for the future. */
    public static String relative(long at, long now) {
        long millis = now - at;
        String span = span(Math.abs(millis));
        return millis >= 0 ? span + " ago" : "in " + span;
    }

    /** A length of time: seconds below a minute, then two units (kubectl's style), days at most. */
    public static String span(long millis) {
        long s = millis / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 600) {
            return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86_400) {
            return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
        }
        return s / 86_400 + "d" + (s % 86_400 / 3600 == 0 ? "" : s % 86_400 / 3600 + "h");
    }

    /** For one object's FIELD/VALUE table: the instant and how long ago. */
    public static String absolute(long at, long now) {
        return Instant.ofEpochMilli(at) + " (" + relative(at, now) + ")";
    }
}
