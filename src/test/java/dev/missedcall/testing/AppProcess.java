package dev.missedcall.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged application as a separate process ({@code java -jar}), as operators run it: to stop or to kill. */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private AppProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code target/missed-call-verification.jar} (system property {@code app.jar}) with this environment. */
    public static AppProcess start(String name, Map<String, String> environment) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String jar = System.getProperty("app.jar", "target/missed-call-verification.jar");
        // next to the test reports, so that the log scan of the test run covers the applications' own logs
        Path logs = Files.createDirectories(Path.of("target", "app-logs"));
        Path output = Files.createTempFile(logs, name + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return new AppProcess(builder.start(), output);
    }

    /** A port nobody listens on now, for an instance's management server. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits until the application says it has started; fails when it dies first or takes over a minute. */
    public Instant awaitStarted() throws Exception {
        long until = System.currentTimeMillis() + 60_000;
        while (!output().contains("(missed-call-verification) started")) {
            if (!process.isAlive() || System.currentTimeMillis() > until) {
                throw new IllegalStateException("the application did not start:\n" + output());
            }
            Thread.sleep(100);
        }
        return Instant.now();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing committed after this instant. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait: returns whether it stopped in time. */
    public boolean stop(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    public boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    public int exitValue() {
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    public Path outputFile() {
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
