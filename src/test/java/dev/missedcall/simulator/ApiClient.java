package dev.missedcall.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the simulator, as a CheckMobi client would call it. */
final class ApiClient {

    static final String SECRET_KEY = "test-secret-key";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final String root;

    ApiClient(CheckMobiSimulator simulator) {
        this.root = "http://127.0.0.1:" + simulator.port();
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return post(path, json, SECRET_KEY, Duration.ofSeconds(5));
    }

    Answer post(String path, String json, String key, Duration timeout) throws IOException, InterruptedException {
        return send(request(path, key, timeout).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer get(String path) throws IOException, InterruptedException {
        return withoutBody("GET", path, SECRET_KEY);
    }

    Answer delete(String path) throws IOException, InterruptedException {
        return withoutBody("DELETE", path, SECRET_KEY);
    }

    Answer withoutBody(String method, String path, String key) throws IOException, InterruptedException {
        return send(request(path, key, Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    Answer requestValidation(String number) throws IOException, InterruptedException {
        return post("/v1/validation/request",
                "{\"number\":\"" + number + "\",\"type\":\"reverse_cli\",\"platform\":\"android\"}");
    }

    Answer verify(String id, String pin) throws IOException, InterruptedException {
        return post("/v1/validation/verify",
                "{\"id\":\"" + id + "\",\"pin\":\"" + pin + "\",\"use_server_hangup\":true}");
    }

    private HttpRequest.Builder request(String path, String key, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(root + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        return key == null ? builder : builder.header("Authorization", key);
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.body());
    }

    record Answer(int status, String contentType, String body) {

        JsonNode json() throws IOException {
            return MAPPER.readTree(body);
        }
    }
}
