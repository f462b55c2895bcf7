package dev.missedcall.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes results.json and results.md from the figures of a run, and judges them against issue 6's targets. */
final class Report {

    private Report() {
    }

    static void write(BenchRun.Options options, Map<String, Object> results) throws Exception {
        Files.createDirectories(options.out());
        results.put("targets", targets(results));
        Files.writeString(options.out().resolve("results.json"), BenchRun.json(results) + "\n", StandardCharsets.UTF_8);
        Files.writeString(options.out().resolve("results.md"), markdown(results), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> root, String... path) {
        Object node = root;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = ((Map<String, Object>) map).get(key);
        }
        return node;
    }

    private static Double number(Map<String, Object> root, String... path) {
        return at(root, path) instanceof Number n ? n.doubleValue() : null;
    }

    /** Issue 6's targets with what this run measured. */
    static List<Map<String, Object>> targets(Map<String, Object> r) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Double memory = number(r, "zeroLatency", BenchRun.MEMORY, "saturationOfferedPerSecond");
        Double postgres = number(r, "zeroLatency", BenchRun.POSTGRES, "saturationOfferedPerSecond");
        Double peer = number(r, "zeroLatency", BenchRun.PEER, "saturationOfferedPerSecond");
        row(rows, ">= 1,000 verifications/s in memory", memory == null ? null : fmt(memory) + "/s sustained (peak "
                + fmt(number(r, "zeroLatency", BenchRun.MEMORY, "peakVerifiedPerSecond")) + "/s)", memory == null ? null : Boolean.valueOf(memory >= 1000));
        row(rows, ">= 500 verifications/s on PostgreSQL", postgres == null ? null : fmt(postgres) + "/s sustained (peak "
                + fmt(number(r, "zeroLatency", BenchRun.POSTGRES, "peakVerifiedPerSecond")) + "/s)", postgres == null ? null : Boolean.valueOf(postgres >= 500));
        for (String target : List.of(BenchRun.MEMORY, BenchRun.POSTGRES)) {
            Double p99 = number(r, "zeroLatency", target, "latency", "at200", "callerIdToOutcomeMs", "p99");
            boolean measured = at(r, "zeroLatency", target) != null;
            row(rows, "p99 caller ID -> outcome <= 50 ms at 200/s (" + target + ")",
                    p99 != null ? fmt(p99) + " ms" : measured ? "not measured (saturates below 200/s or 200 not in --latency-at)" : null,
                    p99 == null ? (measured ? Boolean.FALSE : null) : Boolean.valueOf(p99 <= 50));
        }
        for (String target : List.of(BenchRun.MEMORY, BenchRun.POSTGRES)) {
            Double worst = null;
            Object latency = at(r, "zeroLatency", target, "latency");
            if (latency instanceof Map<?, ?> phases) {
                for (Object phase : phases.values()) {
                    Object p99 = at(cast(phase), "hangupLatenessMs", "p99");
                    if (p99 instanceof Number n && (worst == null || n.doubleValue() > worst)) {
                        worst = n.doubleValue();
                    }
                }
            }
            row(rows, "HANGUP lateness p99 <= 1.5 s (" + target + ")", worst == null ? null : fmt(worst) + " ms",
                    worst == null ? null : Boolean.valueOf(worst <= 1500));
        }
        for (String target : List.of(BenchRun.MEMORY, BenchRun.POSTGRES)) {
            Double heap = number(r, "pending", target, "heapUsedAfterGcMiB");
            Double count = number(r, "pending", target, "pending");
            Double projected = number(r, "pending", target, "heapMiBProjectedFor100k");
            boolean full = count != null && count >= 100_000;
            String measured = heap == null ? null : fmt(heap) + " MiB heap after GC with " + fmt(count) + " pending"
                    + (full || projected == null ? "" : "; projected for 100,000: " + fmt(projected) + " MiB ("
                    + fmt(number(r, "pending", target, "heapBytesPerPending")) + " bytes each; fewer were reached in the time allowed)");
            Boolean met = heap == null ? null : full ? Boolean.valueOf(heap <= 1024)
                    : projected == null ? Boolean.FALSE : Boolean.valueOf(projected <= 1024);
            row(rows, "100,000 pending in <= 1 GiB heap (" + target + ")", measured, met);
        }
        if (memory != null && peer != null && peer > 0) {
            boolean peerTop = Boolean.TRUE.equals(at(r, "zeroLatency", BenchRun.PEER, "saturatedAtTopRate"));
            double ratio = memory / peer;
            row(rows, "throughput >= 0.7x the peer's (in memory)", String.format("%.2fx (%s/s vs peer %s/s%s)", ratio,
                    fmt(memory), fmt(peer), peerTop ? "; the peer kept up at the top rate, so its capacity is higher" : ""),
                    ratio >= 0.7);
        } else {
            row(rows, "throughput >= 0.7x the peer's (in memory)", null, null);
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    private static void row(List<Map<String, Object>> rows, String target, String measured, Boolean met) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("target", target);
        row.put("measured", measured == null ? "not measured in this run" : measured);
        row.put("met", met == null ? "n/a" : met ? "yes" : "NO");
        rows.add(row);
    }

    static String fmt(Double value) {
        if (value == null) {
            return "-";
        }
        return value == Math.rint(value) ? String.format("%,d", value.longValue()) : String.format("%,.1f", value);
    }

    private static String fmt(Object value) {
        return value instanceof Number n ? fmt(n.doubleValue()) : value == null ? "-" : value.toString();
    }

    // ---------------------------------------------------------------- markdown

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> r) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("Written by the harness (`dev.missedcall.bench.BenchRun`, see [README.md](README.md)). Raw figures: ")
                .append("`results.json` next to this file.\n\n");
        if (r.containsKey("error")) {
            md.append("**The run failed:** `").append(r.get("error")).append("` (figures below are partial).\n\n");
        }
        md.append("| | |\n|---|---|\n");
        md.append("| date | ").append(r.get("startedAt")).append(" to ").append(r.get("finishedAt")).append(" (")
                .append(fmt(r.get("elapsedSeconds"))).append(" s) |\n");
        md.append("| command | `").append(r.get("command")).append("` |\n");
        md.append("| load average (1, 5, 15 min) | before ").append(r.get("loadBefore")).append(", after ")
                .append(r.get("loadAfter")).append(" |\n");
        Map<String, Object> machine = cast(r.get("machine"));
        machine.forEach((key, value) -> md.append("| ").append(key).append(" | ").append(value).append(" |\n"));
        md.append("\nEverything runs on this one machine: the broker (own JVM), the harness with the simulator (one ")
                .append("JVM), the system under test (own JVM) and, for the store, PostgreSQL.\n\n");

        md.append("## Targets (issue 6)\n\n| target | measured | met |\n|---|---|---|\n");
        for (Object row : (List<Object>) r.getOrDefault("targets", List.of())) {
            Map<String, Object> m = cast(row);
            md.append("| ").append(m.get("target")).append(" | ").append(m.get("measured")).append(" | ")
                    .append(m.get("met")).append(" |\n");
        }

        section(md, "Simulator without latency", cast(r.get("zeroLatency")));
        Map<String, Object> realistic = cast(r.get("realisticLatency"));
        if (!realistic.isEmpty()) {
            Map<String, Object> systems = new LinkedHashMap<>(realistic);
            Object latency = systems.remove("latencyPerCallMs");
            section(md, "Simulator with realistic latency (" + latency + " ms added to every CheckMobi call)", systems);
        }
        pending(md, cast(r.get("pending")));
        profiles(md, cast(r.get("zeroLatency")));
        bounds(md, cast(r.get("zeroLatency")));
        md.append("\n## How to read this\n\n")
                .append("- **saturation**: the highest offered rate of the ladder at which the system kept up (completed ")
                .append(">= 95 % of what was offered during the step, backlog not growing, and drained afterwards). The next ")
                .append("step of the ladder is where it fell behind; **peak** is the best completed rate of any step.\n")
                .append("- **caller ID -> outcome**: from the harness sending the caller ID (the mobile backend) to the harness ")
                .append("reading the outcome record: Kafka both ways, the aggregator, Verify PIN over HTTP, publishing.\n")
                .append("- **HANGUP lateness**: the simulator's arrival time of the HANGUP Verify PIN minus `expiresAt` of the ")
                .append("CALL_REQUESTED event, for the verifications (1 in `--timeout-every`) sent without a caller ID.\n")
                .append("- **CPU cores**: CPU seconds per wall second of each process during a step (2.0 = both cores); ")
                .append("`driver` is the harness minus the simulator's threads.\n");
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    private static void section(StringBuilder md, String title, Map<String, Object> systems) {
        if (systems.isEmpty()) {
            return;
        }
        md.append("\n## ").append(title).append("\n\n");
        md.append("| system | start-up | saturation (offered/s) | peak verified/s | latency phase | c.ID->outcome p50 / p95 / p99 / max (ms) | HANGUP lateness p50 / p99 / max (ms) |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        systems.forEach((name, value) -> {
            Map<String, Object> s = cast(value);
            Map<String, Object> latency = cast(s.get("latency"));
            if (latency.isEmpty()) {
                latency = Map.of("-", Map.of());
            }
            boolean first = true;
            for (Map.Entry<String, Object> phase : latency.entrySet()) {
                Map<String, Object> p = cast(phase.getValue());
                Map<String, Object> c = cast(p.get("callerIdToOutcomeMs"));
                Map<String, Object> h = cast(p.get("hangupLatenessMs"));
                md.append("| ").append(first ? name : "").append(" | ")
                        .append(first ? fmt(s.get("startupMillis")) + " ms" : "").append(" | ")
                        .append(first ? fmt(s.get("saturationOfferedPerSecond"))
                                + (Boolean.TRUE.equals(s.get("saturatedAtTopRate")) ? " (top of ladder)" : "") : "")
                        .append(" | ").append(first ? fmt(s.get("peakVerifiedPerSecond")) : "").append(" | ")
                        .append(phase.getKey()).append(p.containsKey("offeredPerSecond") ? " (" + fmt(p.get("offeredPerSecond")) + "/s)" : "")
                        .append(" | ").append(fmt(c.get("p50"))).append(" / ").append(fmt(c.get("p95"))).append(" / ")
                        .append(fmt(c.get("p99"))).append(" / ").append(fmt(c.get("max")))
                        .append(" | ").append(fmt(h.get("p50"))).append(" / ").append(fmt(h.get("p99"))).append(" / ")
                        .append(fmt(h.get("max"))).append(" (n=").append(fmt(h.get("count"))).append(") |\n");
                first = false;
            }
        });
        systems.forEach((name, value) -> {
            Map<String, Object> s = cast(value);
            md.append("\n**").append(name).append("** ladder (load at start ").append(s.get("loadAtStart"))
                    .append("; outcomes ").append(s.get("statuses")).append(")\n\n");
            md.append("| offered/s | sent/s | completed/s | verified/s | backlog mid / end | kept up | c.ID->outcome p50 / p99 (ms) | CPU cores | load |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");
            for (Object o : (List<Object>) s.getOrDefault("steps", List.of())) {
                Map<String, Object> step = cast(o);
                Map<String, Object> c = cast(step.get("callerIdToOutcomeMs"));
                md.append("| ").append(fmt(step.get("offeredPerSecond"))).append(" | ").append(fmt(step.get("sentPerSecond")))
                        .append(" | ").append(fmt(step.get("completedPerSecond"))).append(" | ")
                        .append(fmt(step.get("verifiedPerSecond"))).append(" | ").append(fmt(step.get("outstandingAtMid")))
                        .append(" / ").append(fmt(step.get("outstandingAtEnd"))).append(" | ")
                        .append(Boolean.TRUE.equals(step.get("keptUp")) ? "yes" : "**no**").append(" | ")
                        .append(fmt(c.get("p50"))).append(" / ").append(fmt(c.get("p99"))).append(" | ")
                        .append(cores(cast(step.get("cpuCores")))).append(" | ").append(step.get("load")).append(" |\n");
            }
        });
    }

    private static String cores(Map<String, Object> cpu) {
        StringBuilder text = new StringBuilder();
        cpu.forEach((part, value) -> {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(part.equals("machineBusyPercent") ? "machine " + fmt(value) + " %" : part + " " + fmt(value));
        });
        return text.toString();
    }

    private static void pending(StringBuilder md, Map<String, Object> pending) {
        if (pending.isEmpty()) {
            return;
        }
        md.append("\n## Pending verifications, restart and recovery\n\n");
        md.append("STARTs with a deadline 2 hours away and no caller ID; once every one is CALL_REQUESTED: `jcmd GC.run`, ")
                .append("heap used from `jcmd GC.heap_info`, RSS from `/proc/<pid>/status`. Then SIGTERM, a new process on ")
                .append("the same topics (and database), and caller IDs for a random sample of the old verifications.\n\n");
        md.append("| system | pending | time to CALL_REQUESTED all | heap used after GC (before -> with them; per pending; projected for 100k) | RSS | stop | restart: ready after | sample verified after restart | all of the sample done after | verdict |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        pending.forEach((name, value) -> {
            Map<String, Object> p = cast(value);
            md.append("| ").append(name).append(" | ").append(fmt(p.get("pending"))).append(" | ")
                    .append(fmt(p.get("secondsToCallRequestedAll"))).append(" s (").append(fmt(p.get("startsPerSecond")))
                    .append("/s) | ").append(fmt(p.get("heapUsedAfterGcMiBBefore"))).append(" -> ")
                    .append(fmt(p.get("heapUsedAfterGcMiB"))).append(" MiB (max heap ").append(p.get("maxHeap"))
                    .append("); ").append(fmt(p.get("heapBytesPerPending"))).append(" B each; ")
                    .append(fmt(p.get("heapMiBProjectedFor100k"))).append(" MiB | ").append(fmt(p.get("rssMiB"))).append(" MiB | ")
                    .append(fmt(p.get("stopMillis"))).append(" ms | ").append(fmt(p.get("restartReadyMillis")))
                    .append(" ms | ").append(fmt(p.get("recoverySampleVerified"))).append(" of ")
                    .append(fmt(p.get("recoverySample"))).append(" | ")
                    .append(p.containsKey("recoveredMillisAfterRestart") ? fmt(p.get("recoveredMillisAfterRestart")) + " ms" : "-")
                    .append(" | ").append(p.get("verdict")).append(" |\n");
        });
    }

    @SuppressWarnings("unchecked")
    private static void profiles(StringBuilder md, Map<String, Object> systems) {
        systems.forEach((name, value) -> {
            Map<String, Object> profile = cast(cast(value).get("profile"));
            if (profile.isEmpty()) {
                return;
            }
            md.append("\n## Profile: ").append(name).append(" during its ladder\n\n");
            md.append("JFR (`settings=default`, started with `jcmd JFR.start` after the warm-up), ")
                    .append(fmt(profile.get("samples"))).append(" execution samples; file `")
                    .append(cast(value).get("profileFile")).append("` (`jfr print --events jdk.ExecutionSample`).\n\n");
            for (String table : List.of("threads", "innermostNonJdkLibrary", "innermostBundleFrame", "topFramePackages", "topFrames")) {
                md.append("<details><summary>").append(table).append("</summary>\n\n| share | samples | name |\n|---|---|---|\n");
                for (Object o : (List<Object>) profile.getOrDefault(table, List.of())) {
                    Map<String, Object> row = cast(o);
                    md.append("| ").append(row.get("percent")).append(" % | ").append(row.get("samples")).append(" | `")
                            .append(String.valueOf(row.get("name")).replace("|", "\\|")).append("` |\n");
                }
                md.append("\n</details>\n\n");
            }
        });
    }

    /** What bounds each system now, from the CPU shares of its first step that fell behind (or its last step). */
    @SuppressWarnings("unchecked")
    private static void bounds(StringBuilder md, Map<String, Object> systems) {
        if (systems.isEmpty()) {
            return;
        }
        md.append("\n## What bounds it now\n\n");
        systems.forEach((name, value) -> {
            List<Object> steps = (List<Object>) cast(value).getOrDefault("steps", List.of());
            if (steps.isEmpty()) {
                return;
            }
            Map<String, Object> last = cast(steps.get(steps.size() - 1));
            Map<String, Object> cpu = cast(last.get("cpuCores"));
            double busy = cpu.get("machineBusyPercent") instanceof Number n ? n.doubleValue() : 0;
            String biggest = cpu.entrySet().stream().filter(e -> !e.getKey().equals("machineBusyPercent"))
                    .max((a, b) -> Double.compare(((Number) a.getValue()).doubleValue(), ((Number) b.getValue()).doubleValue()))
                    .map(e -> e.getKey() + " (" + fmt(e.getValue()) + " cores)").orElse("?");
            md.append("- **").append(name).append("** at ").append(fmt(last.get("offeredPerSecond"))).append("/s offered (")
                    .append(Boolean.TRUE.equals(last.get("keptUp")) ? "kept up: the ladder's top" : "fell behind")
                    .append("): machine ").append(fmt(busy)).append(" % busy; ").append(cores(cpu)).append(". ")
                    .append(busy >= 85 ? "CPU-bound: the two cores are full; the largest consumer is " + biggest + "."
                            : "Not CPU-bound (machine below 85 %): the limit is concurrency or waiting (the number of "
                            + "consumer threads times the time each record holds its thread), not the cores.")
                    .append("\n");
        });
    }
}
