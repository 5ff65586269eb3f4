package dev.cronhook.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a flight recording of the server (started with {@code BENCH_SERVER_JAVA_OPTS=-XX:StartFlightRecording=...})
 * and prints where its CPU samples fall: the methods on top of the stack (self), and the share of samples whose stack
 * passes through a method (inclusive) for Cronhook's own methods and the libraries it calls.
 *
 * <pre>JfrProfile recording.jfr [top]</pre>
 */
public final class JfrProfile {
    private JfrProfile() {
    }

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                self.merge(name(frames.getFirst()), 1, Integer::sum);
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (interesting(name) && seen.add(name)) {
                    inclusive.merge(name, 1, Integer::sum);
                }
            }
        }
        System.out.println(samples + " execution samples");
        print("self (top of stack)", self, samples, top);
        print("inclusive (stack passes through)", inclusive, samples, top);
    }

    private static boolean interesting(String method) {
        return method.startsWith("dev.cronhook.") || method.startsWith("io.helidon.dbclient.")
                || method.startsWith("org.postgresql.") || method.startsWith("com.zaxxer.")
                || method.startsWith("java.util.logging.") || method.startsWith("javax.crypto.")
                || method.startsWith("com.fasterxml.jackson.databind.ObjectMapper.")
                || method.startsWith("io.helidon.webclient.") || method.startsWith("io.helidon.webserver.")
                || method.startsWith("org.quartz.");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("\n" + title);
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top).forEach(e ->
                System.out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
    }
}
