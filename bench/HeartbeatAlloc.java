import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads two JFR dumps of the registry taken around a quiet-bounded LoadGen run (bench/heartbeat-alloc.sh)
 * and prints what the run cost per heartbeat, independent of the machine's load: bytes allocated by the
 * server's IO threads (jdk.ThreadAllocationStatistics, exact, not sampled) and young collections, each
 * divided by the heartbeats the server counted in between; then the largest allocation sites of the IO
 * threads (jdk.ObjectAllocationSample, sampled, as shares).
 *
 * <p>Usage: {@code java HeartbeatAlloc.java BEFORE.jfr AFTER.jfr HEARTBEATS SECONDS [TOP]}
 */
public final class HeartbeatAlloc {
    public static void main(String[] args) throws Exception {
        Path before = Path.of(args[0]);
        Path after = Path.of(args[1]);
        long heartbeats = Long.parseLong(args[2]);
        double seconds = Double.parseDouble(args[3]);
        int top = args.length > 4 ? Integer.parseInt(args[4]) : 12;

        Snapshot a = Snapshot.read(before);
        Snapshot b = Snapshot.read(after);
        long bytes = 0;
        for (Map.Entry<String, Long> e : b.allocated.entrySet()) {
            if (e.getKey().contains("I/O")) {
                bytes += e.getValue() - a.allocated.getOrDefault(e.getKey(), 0L);
            }
        }
        long youngGcs = b.youngGcs - a.youngGcs;
        System.out.printf(
                "RESULT heartbeats=%d seconds=%.1f io_bytes=%d bytes_per_heartbeat=%.0f young_gcs=%d"
                        + " young_gcs_per_100k=%.2f young_gcs_per_s=%.2f%n",
                heartbeats,
                seconds,
                bytes,
                (double) bytes / heartbeats,
                youngGcs,
                youngGcs * 100_000.0 / heartbeats,
                youngGcs / seconds);

        // Allocation sites of the run alone: samples after the first dump's last event.
        Map<String, Double> byClass = new HashMap<>();
        Map<String, Double> bySite = new HashMap<>();
        double total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(after)) {
            if (!e.getEventType().getName().equals("jdk.ObjectAllocationSample")
                    || !e.getStartTime().isAfter(a.end)) {
                continue;
            }
            RecordedThread thread = e.getThread();
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().contains("I/O")) {
                continue;
            }
            double weight = e.getLong("weight");
            total += weight;
            byClass.merge(e.getClass("objectClass").getName(), weight, Double::sum);
            bySite.merge(site(e), weight, Double::sum);
        }
        print("allocation by class (IO threads, sampled)", byClass, total, top);
        print("allocation by site (IO threads, sampled)", bySite, total, top);
    }

    private static String site(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "?";
        }
        List<String> frames = new ArrayList<>();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            frames.add(type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName());
            if (frames.size() == 4) {
                break;
            }
        }
        return String.join(" < ", frames);
    }

    private static void print(String title, Map<String, Double> weights, double total, int top) {
        System.out.println(title + ":");
        weights.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100 * e.getValue() / total, e.getKey()));
    }

    /** The last allocation total of each thread and the young collections so far, in one dump. */
    private record Snapshot(Map<String, Long> allocated, long youngGcs, Instant end) {
        static Snapshot read(Path file) throws Exception {
            Map<String, Long> allocated = new HashMap<>();
            Map<String, Instant> at = new HashMap<>();
            long young = 0;
            Instant end = Instant.EPOCH;
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getEndTime().isAfter(end)) {
                    end = e.getEndTime();
                }
                switch (e.getEventType().getName()) {
                    case "jdk.ThreadAllocationStatistics" -> {
                        RecordedThread t = e.getThread("thread");
                        String name = t == null ? "?" : t.getJavaName() + "#" + t.getJavaThreadId();
                        Instant when = e.getStartTime();
                        if (!at.containsKey(name) || when.isAfter(at.get(name))) {
                            at.put(name, when);
                            allocated.put(name, e.getLong("allocated"));
                        }
                    }
                    case "jdk.YoungGarbageCollection" -> young++;
                    default -> {}
                }
            }
            return new Snapshot(allocated, young, end);
        }
    }
}
