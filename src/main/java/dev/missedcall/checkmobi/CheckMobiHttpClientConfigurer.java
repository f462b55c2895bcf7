package dev.missedcall.checkmobi;

import java.util.List;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * The only way headers reach CheckMobi: the endpoints skip every exchange header (so Kafka and Camel headers never
 * leak), and this client adds the secret key as CheckMobi wants it (raw, no scheme) and asks for JSON. Automatic
 * retries are off because a repeated Request Validation rings the phone, and is billed, twice.
 */
public class CheckMobiHttpClientConfigurer implements HttpClientConfigurer {

    private final String secretKey;

    public CheckMobiHttpClientConfigurer(String secretKey) {
        this.secretKey = secretKey;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder clientBuilder) {
        clientBuilder.setDefaultHeaders(List.of(
                new BasicHeader(HttpHeaders.AUTHORIZATION, secretKey, true),
                new BasicHeader(HttpHeaders.ACCEPT, "application/json")));
        clientBuilder.disableAutomaticRetries();
    }

    @Override
    public String toString() {
        return "CheckMobiHttpClientConfigurer[secret key hidden]";
    }
}
