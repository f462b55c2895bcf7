package dev.missedcall.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;

/**
 * What the simulator does with one request: answer (possibly late) or drop the connection without answering.
 * Kept apart from the HTTP plumbing so the endpoint logic never touches the exchange.
 *
 * @param status        HTTP status; {@link RecordedCall#NO_RESPONSE} when the connection is dropped
 * @param body          JSON body, or null for 204 and dropped connections
 * @param delay         how long to hold the answer back
 */
record ApiResponse(int status, JsonNode body, Duration delay) {

    static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body, Duration.ZERO);
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, Duration.ZERO);
    }

    static ApiResponse error(CheckMobiError error) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("code", error.code())
                .put("error", error.message());
        return new ApiResponse(error.httpStatus(), body, Duration.ZERO);
    }

    static ApiResponse dropConnection() {
        return new ApiResponse(RecordedCall.NO_RESPONSE, null, Duration.ZERO);
    }

    ApiResponse after(Duration delay) {
        return new ApiResponse(status, body, delay);
    }

    boolean dropsConnection() {
        return status == RecordedCall.NO_RESPONSE;
    }
}
