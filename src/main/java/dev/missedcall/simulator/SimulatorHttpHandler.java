package dev.missedcall.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** HTTP plumbing: authentication, injected faults, routing to {@link CheckMobiApi}, recording, and the answer. */
final class SimulatorHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorHttpHandler.class);
    private static final String CONTROL_CALLS = "/_simulator/calls";
    private static final String STATUS_PATH = "/v1/validation/status/";
    private static final String CALL_PATH = "/v1/call/";
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final String secretKey;
    private final CheckMobiApi api;
    private final CallRecorder recorder;
    private final Supplier<Faults> faults;

    SimulatorHttpHandler(String secretKey, CheckMobiApi api, CallRecorder recorder, Supplier<Faults> faults) {
        this.secretKey = secretKey;
        this.api = api;
        this.recorder = recorder;
        this.faults = faults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/_simulator")) {
                send(exchange, control(method, path));
                return;
            }
            Instant receivedAt = Instant.now();
            long ticket = recorder.arrived();
            JsonNode body = readJson(exchange);
            boolean authorized = secretKey.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            ApiResponse response = answer(method, path, body, authorized);
            Thread.sleep(response.delay().toMillis());
            // Recorded before answering, so a client that has its answer always finds the call recorded.
            recorder.answered(ticket, new RecordedCall(receivedAt, method, path, response.status(),
                    body != null && body.isObject() ? asMap(body) : null, authorized));
            send(exchange, response);
        } catch (InterruptedException e) {
            // The simulator is closing: leave the client without an answer, as a dying server would.
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private ApiResponse answer(String method, String path, JsonNode body, boolean authorized)
            throws InterruptedException {
        Faults injected = faults.get();
        Thread.sleep(injected.extraLatency().toMillis());
        if (happens(injected.dropProbability())) {
            return ApiResponse.dropConnection();
        }
        if (happens(injected.serverErrorProbability())) {
            return ApiResponse.error(CheckMobiError.INTERNAL_ERROR);
        }
        if (!authorized) {
            LOG.warn("{} {}: wrong or missing secret key", method, path);
            return ApiResponse.error(CheckMobiError.INVALID_SECRET_KEY);
        }
        try {
            return route(method, path, body);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            return ApiResponse.error(CheckMobiError.INTERNAL_ERROR);
        }
    }

    private ApiResponse route(String method, String path, JsonNode body) {
        return switch (method + " " + path) {
            case "POST /v1/validation/request" -> api.requestValidation(body);
            case "POST /v1/validation/verify" -> api.verify(body);
            case "POST /v1/checknumber" -> api.checkNumber(body);
            default -> routeWithId(method, path);
        };
    }

    private ApiResponse routeWithId(String method, String path) {
        if (method.equals("GET") && isIdPath(path, STATUS_PATH)) {
            return api.status(path.substring(STATUS_PATH.length()));
        }
        if (method.equals("DELETE") && isIdPath(path, CALL_PATH)) {
            return api.hangUp(path.substring(CALL_PATH.length()));
        }
        return ApiResponse.error(CheckMobiError.UNKNOWN_ENDPOINT);
    }

    private ApiResponse control(String method, String path) {
        if (!path.equals(CONTROL_CALLS)) {
            return ApiResponse.error(CheckMobiError.UNKNOWN_ENDPOINT);
        }
        return switch (method) {
            case "GET" -> ApiResponse.ok(Json.MAPPER.valueToTree(recorder.calls()));
            case "DELETE" -> {
                recorder.clear();
                yield ApiResponse.noContent();
            }
            default -> ApiResponse.error(CheckMobiError.UNKNOWN_ENDPOINT);
        };
    }

    private static void send(HttpExchange exchange, ApiResponse response) throws IOException {
        if (response.dropsConnection()) {
            // handle() closes the exchange with no headers sent, which closes the socket: the client gets nothing.
            return;
        }
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = Json.MAPPER.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        if (bytes.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Map<String, Object> asMap(JsonNode body) {
        return Collections.unmodifiableMap(Json.MAPPER.convertValue(body, OBJECT));
    }

    private static boolean isIdPath(String path, String prefix) {
        return path.startsWith(prefix) && path.length() > prefix.length() && path.indexOf('/', prefix.length()) < 0;
    }

    private static boolean happens(double probability) {
        return probability > 0 && ThreadLocalRandom.current().nextDouble() < probability;
    }
}
