package dev.missedcall.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Aggregates a JFR recording's CPU samples (jdk.ExecutionSample): by top frame, by the top frame's package, by the
 * innermost frame that is not the JDK (which library or bundle code was running), and by thread group.
 */
final class JfrSummary {

    private JfrSummary() {
    }

    static Map<String, Object> summarise(Path recording, int top) throws Exception {
        Map<String, Long> byFrame = new HashMap<>();
        Map<String, Long> byPackage = new HashMap<>();
        Map<String, Long> byLibrary = new HashMap<>();
        Map<String, Long> byThread = new HashMap<>();
        Map<String, Long> byBundleFrame = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            samples++;
            RecordedThread thread = event.getThread("sampledThread");
            byThread.merge(threadGroup(thread == null ? "?" : thread.getJavaName()), 1L, Long::sum);
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            RecordedFrame first = frames.get(0);
            String type = first.getMethod().getType().getName();
            byFrame.merge(type + "." + first.getMethod().getName(), 1L, Long::sum);
            byPackage.merge(packageOf(type), 1L, Long::sum);
            String library = "jdk only";
            String bundle = null;
            for (RecordedFrame frame : frames) {
                String frameType = frame.getMethod().getType().getName();
                if (library.equals("jdk only") && !isJdk(frameType)) {
                    library = libraryOf(frameType);
                }
                if (bundle == null && frameType.startsWith("dev.missedcall.")) {
                    bundle = frameType.substring(frameType.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
                }
            }
            byLibrary.merge(library, 1L, Long::sum);
            if (bundle != null) {
                byBundleFrame.merge(bundle, 1L, Long::sum);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("samples", samples);
        summary.put("topFrames", top(byFrame, samples, top));
        summary.put("topFramePackages", top(byPackage, samples, top));
        summary.put("innermostNonJdkLibrary", top(byLibrary, samples, top));
        summary.put("innermostBundleFrame", top(byBundleFrame, samples, top));
        summary.put("threads", top(byThread, samples, top));
        return summary;
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")
                || type.startsWith("com.sun.");
    }

    private static String packageOf(String type) {
        int dot = type.lastIndexOf('.');
        return dot < 0 ? type : type.substring(0, dot);
    }

    /** A library's name: its first three package segments (org.apache.camel, org.apache.kafka, com.fasterxml.jackson). */
    static String libraryOf(String type) {
        String[] parts = type.split("\\.");
        int keep = Math.min(parts.length - 1, 3);
        return String.join(".", java.util.Arrays.copyOf(parts, Math.max(1, keep)));
    }

    /** Thread names without their numbers: "Camel (x) thread #12 - KafkaConsumer[t]" becomes one group. */
    static String threadGroup(String name) {
        return name.replaceAll("#?\\d+", "N").replaceAll("\\[[^]]*]", "[…]");
    }

    private static List<Map<String, Object>> top(Map<String, Long> counts, long samples, int top) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .map(e -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", e.getKey());
                    row.put("samples", e.getValue());
                    row.put("percent", samples == 0 ? 0 : Math.round(e.getValue() * 1000.0 / samples) / 10.0);
                    return row;
                }).toList();
    }
}
