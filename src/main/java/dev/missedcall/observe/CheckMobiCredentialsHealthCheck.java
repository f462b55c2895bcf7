package dev.missedcall.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Whether CheckMobi accepts the secret key, without placing a call: the Validation Status of an id that cannot
 * exist answers 401 (code 1) for a bad key and 400/404 for a good one. Reported in full health only: a bad key is an
 * operator's alert, and taking every pod out of service would not fix it. Asked at most once a minute.
 */
public class CheckMobiCredentialsHealthCheck extends FullHealthOnlyCheck {

    private static final String NO_SUCH_VALIDATION = "/validation/status/RCL-00000000-0000-0000-0000-000000000000";
    private static final Duration REFRESH = Duration.ofMinutes(1);

    private final String baseUrl;
    private final String secretKey;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Instant checkedAt = Instant.MIN;
    private String problem;

    public CheckMobiCredentialsHealthCheck(String baseUrl, String secretKey, Clock clock) {
        super("checkmobi-credentials");
        this.baseUrl = baseUrl;
        this.secretKey = secretKey;
        this.clock = clock;
    }

    @Override
    protected synchronized void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (Duration.between(checkedAt, clock.instant()).compareTo(REFRESH) > 0) {
            problem = ask();
            checkedAt = clock.instant();
        }
        builder.detail("checkedAt", checkedAt.toString());
        if (problem == null) {
            builder.up();
        } else {
            builder.message(problem);
            builder.down();
        }
    }

    private String ask() {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + NO_SUCH_VALIDATION))
                    .header("Authorization", secretKey).header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                return "CheckMobi refuses the secret key (HTTP " + response.statusCode() + ")";
            }
            return response.statusCode() >= 500 ? "CheckMobi answers HTTP " + response.statusCode() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "CheckMobi cannot be reached: " + e.getClass().getSimpleName();
        }
    }
}
