package dev.missedcall.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percentiles of a sample (nearest rank), rounded to 0.1. */
final class Stats {

    private Stats() {
    }

    static Map<String, Object> of(List<Double> values) {
        Map<String, Object> stats = new LinkedHashMap<>();
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        stats.put("count", sorted.length);
        if (sorted.length > 0) {
            stats.put("p50", BenchRun.round(rank(sorted, 0.50)));
            stats.put("p95", BenchRun.round(rank(sorted, 0.95)));
            stats.put("p99", BenchRun.round(rank(sorted, 0.99)));
            stats.put("max", BenchRun.round(sorted[sorted.length - 1]));
        }
        return stats;
    }

    private static double rank(double[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
