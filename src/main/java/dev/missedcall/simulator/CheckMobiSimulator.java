package dev.missedcall.simulator;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for CheckMobi's REST API over real HTTP: same paths, authentication, error bodies and codes, with
 * {@link TestNumber test numbers} that produce every outcome on demand. Also records every call it receives
 * ({@code GET /_simulator/calls}) and tells the simulated phones which calls rang.
 */
public final class CheckMobiSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckMobiSimulator.class);

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on: it writes headers and body separately, and the body then
        // waits for the client's delayed ACK (40 ms on Linux), a delay the real API does not have. The server reads
        // this once, when the JVM's first one starts, which is in start() below unless the caller chose otherwise.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final int port;
    private final String baseUrl;
    private final ExecutorService executor;
    private final CheckMobiApi api;
    private final CallRecorder recorder;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Faults faults = Faults.NONE;

    private CheckMobiSimulator(HttpServer server, ExecutorService executor, CheckMobiApi api, CallRecorder recorder) {
        this.server = server;
        // Kept from the start, because a stopped server no longer knows its address.
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().isAnyLocalAddress() || bound.getAddress().isLoopbackAddress()
                ? "127.0.0.1" : bound.getAddress().getHostAddress();
        this.port = bound.getPort();
        this.baseUrl = "http://" + host + ":" + port + "/v1";
        this.executor = executor;
        this.api = api;
        this.recorder = recorder;
    }

    /**
     * Starts a simulator accepting {@code secretKey} as its only valid key.
     *
     * @param port 0 for any free port
     */
    public static CheckMobiSimulator start(String host, int port, String secretKey) {
        Objects.requireNonNull(host, "host");
        if (secretKey == null || secretKey.isEmpty()) {
            throw new IllegalArgumentException("secretKey is required");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
        // Delayed answers sleep in their handler thread, so the pool must grow rather than queue behind them.
        ExecutorService executor = Executors.newCachedThreadPool(nonDaemonThreads());
        CheckMobiSimulator simulator = new CheckMobiSimulator(server, executor, new CheckMobiApi(), new CallRecorder());
        server.createContext("/", new SimulatorHttpHandler(secretKey, simulator.api, simulator.recorder,
                () -> simulator.faults));
        server.setExecutor(executor);
        server.start();
        LOG.info("CheckMobi simulator listening at {}", simulator.baseUrl());
        return simulator;
    }

    public int port() {
        return port;
    }

    /** The API's base URL, without a trailing slash: {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Every API call answered so far (dropped connections included), in the order they arrived. */
    public List<RecordedCall> calls() {
        return recorder.calls();
    }

    public void clearCalls() {
        recorder.clear();
    }

    /** The missed call placed for a validation, for the simulated phones and tests; empty if none was placed. */
    public Optional<Ringing> ringing(String validationId) {
        return api.ringing(validationId);
    }

    /**
     * The latest missed call placed to a destination number (with or without the {@code +}), even while Request
     * Validation is still holding its answer back; empty if none was placed.
     */
    public Optional<Ringing> ringingTo(String destinationNumber) {
        return api.latestRingingTo(destinationNumber);
    }

    public Faults faults() {
        return faults;
    }

    public void setFaults(Faults faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    /** Stops listening and abandons calls in flight (their clients get no answer); returns within about 1 s. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                LOG.warn("CheckMobi simulator threads still running after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("CheckMobi simulator on port {} stopped", port);
    }

    // Non-daemon on purpose: a standalone simulator must keep the JVM alive, and close() ends the threads.
    private static ThreadFactory nonDaemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "checkmobi-simulator-" + count.incrementAndGet());
            thread.setDaemon(false);
            return thread;
        };
    }
}
