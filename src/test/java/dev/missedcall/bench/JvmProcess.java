package dev.missedcall.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM the harness starts (the packaged application, the peer, the broker): its pid, log, CPU, memory, jcmd. */
final class JvmProcess implements AutoCloseable {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    final String name;
    final Process process;
    final Path log;
    final long startedNanos;

    private JvmProcess(String name, Process process, Path log, long startedNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    static String java() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /** Starts {@code java <jvmArgs> <main...>} with this environment added, output to {@code logDir/name.log}. */
    static JvmProcess start(String name, List<String> jvmArgs, List<String> main, Map<String, String> environment,
                            Path logDir, boolean keepStdin) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmArgs);
        command.addAll(main);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (!keepStdin) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        return new JvmProcess(name, builder.start(), log, started);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the log contains this text; fails when the process dies first or time runs out. */
    String awaitLine(String text, long timeoutMillis) throws Exception {
        long until = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            String output = output();
            int at = output.indexOf(text);
            if (at >= 0) {
                int end = output.indexOf('\n', at);
                return output.substring(at, end < 0 ? output.length() : end).trim();
            }
            if (!process.isAlive() || System.currentTimeMillis() > until) {
                throw new IllegalStateException(name + " did not print '" + text + "'; its log " + log + ":\n"
                        + tail(output, 3000));
            }
            Thread.sleep(20);
        }
    }

    static String tail(String text, int chars) {
        return text.length() <= chars ? text : text.substring(text.length() - chars);
    }

    /** CPU seconds (user + system) the process used so far, from /proc; -1 when unknown. */
    double cpuSeconds() {
        return Proc.cpuSeconds(pid(), false);
    }

    long rssKb() {
        return Proc.statusKb(pid(), "VmRSS");
    }

    /** Heap used after a full GC, in KiB (jcmd GC.run, then GC.heap_info). */
    long heapUsedAfterGcKb() throws Exception {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher matcher = HEAP_USED.matcher(info);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    String jcmd(String... command) throws Exception {
        List<String> full = new ArrayList<>();
        full.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        full.add(Long.toString(pid()));
        full.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** SIGTERM, then SIGKILL after the grace period; returns whether it stopped on SIGTERM. */
    boolean stop(long graceSeconds) throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            return true;
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        stop(15);
    }
}
