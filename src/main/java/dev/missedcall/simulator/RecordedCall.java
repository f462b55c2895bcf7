package dev.missedcall.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * One request the simulator received on its API. Holds no headers, so the secret key is never kept.
 *
 * @param receivedAt when the request arrived
 * @param method     HTTP method
 * @param path       request path without the query string
 * @param status     the HTTP status answered, or {@link #NO_RESPONSE} if the connection was dropped
 * @param body       the JSON body when it was a JSON object, otherwise null
 * @param authorized whether the {@code Authorization} header carried the right secret key
 */
public record RecordedCall(Instant receivedAt, String method, String path, int status, Map<String, Object> body,
                           boolean authorized) {

    public static final int NO_RESPONSE = 0;
}
