package dev.missedcall.routes;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import dev.missedcall.observe.VerificationMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import dev.missedcall.testing.Pipeline;
import dev.missedcall.testing.RealRoutesTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real YAML routes and beans, with Kafka and HTTP replaced at their edges (AdviceWith): every branch of
 * command intake, caller-ID intake, the aggregator, the CheckMobi calls and the dead-letter handling.
 */
class RoutesTest extends RealRoutesTestSupport {

    /** What the fake CheckMobi does next, per endpoint. */
    private volatile Processor requestValidation;
    private volatile Processor verifyPin;
    private final AtomicInteger requestAttempts = new AtomicInteger();
    private final AtomicInteger verifyAttempts = new AtomicInteger();

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        return testProperties("route-test-key");
    }

    @BeforeEach
    void adviseRoutes() throws Exception {
        AdviceWith.adviceWith(context, "command-intake", route -> route.replaceFromWith("direct:commands"));
        AdviceWith.adviceWith(context, "callerid-intake", route -> route.replaceFromWith("direct:callerid"));
        AdviceWith.adviceWith(context, "checkmobi-http", route ->
                route.weaveById("checkmobi-call").replace().process(exchange -> {
                    String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
                    String sent = exchange.getMessage().getBody(String.class);
                    if (path.equals("/validation/request")) {
                        requestAttempts.incrementAndGet();
                        exchange.getMessage().setHeader("sentBody", sent);
                        requestValidation.process(exchange);
                    } else {
                        verifyAttempts.incrementAndGet();
                        template.sendBody("mock:verify-sent", sent);
                        verifyPin.process(exchange);
                    }
                }));
        AdviceWith.adviceWith(context, "publish", route ->
                route.weaveById("publish-record").replace().to("mock:published"));
        AdviceWith.adviceWith(context, "dead-letter", route ->
                route.weaveById("dead-letter-publish").replace().to("mock:dlq"));
        // pin_hash is SHA-1 of "811", the last 3 digits of the caller IDs these tests report
        requestValidation = answer(200, "{\"id\":\"RCL-TEST\",\"type\":\"reverse_cli\","
                + "\"pin_hash\":\"6f8246002c1c5967ffc5e0ec80f2d7b59a60b1e3\",\"cli_prefix\":\"+4420794\"}");
        verifyPin = answer(200, "{\"number\":\"+40743123456\",\"validated\":true,\"validation_date\":1416946931,"
                + "\"charged_amount\":0.0}");
        context.start();
    }

    private static Processor answer(int status, String body) {
        return exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            exchange.getMessage().setBody(body);
        };
    }

    private void command(String json) {
        template.sendBody("direct:commands", json.getBytes(StandardCharsets.UTF_8));
    }

    private void start(String id, String number) {
        command("{\"type\":\"START\",\"verificationId\":\"" + id + "\",\"number\":\"" + number
                + "\",\"platform\":\"android\",\"timeoutSeconds\":30,\"metadata\":{\"k\":\"v\"}}");
    }

    private void callerId(String id, String pin) {
        template.sendBody("direct:callerid",
                ("{\"verificationId\":\"" + id + "\",\"pin\":\"" + pin + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private List<Map<String, Object>> published(String topicProperty) {
        String topic = context.resolvePropertyPlaceholders("{{" + topicProperty + "}}");
        MockEndpoint mock = getMockEndpoint("mock:published");
        return mock.getExchanges().stream()
                .filter(e -> topic.equals(e.getMessage().getHeader("kafka.OVERRIDE_TOPIC")))
                .map(e -> Pipeline.parse(e.getMessage().getBody(byte[].class)))
                .toList();
    }

    private Map<String, Object> awaitOutcome(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> published("kafka.topic.outcomes").stream()
                .anyMatch(o -> id.equals(o.get("verificationId"))));
        return published("kafka.topic.outcomes").stream().filter(o -> id.equals(o.get("verificationId")))
                .findFirst().orElseThrow();
    }

    @Test
    void startRequestsTheCallAndTheCallerIdVerifiesIt() throws Exception {
        start("r-1", "+40743123456");

        Map<String, Object> event = published("kafka.topic.events").get(0);
        assertEquals("CALL_REQUESTED", event.get("type"));
        assertEquals("RCL-TEST", event.get("validationId"));
        assertEquals("+4420794", event.get("cliPrefix"));
        Map<String, Object> sent = Pipeline.parse(getMockEndpoint("mock:published").getExchanges().get(0).getMessage()
                .getBody(byte[].class));
        assertEquals("r-1", sent.get("verificationId"));

        callerId("r-1", "0811");

        Map<String, Object> outcome = awaitOutcome("r-1");
        assertEquals("VERIFIED", outcome.get("status"));
        assertEquals(Map.of("k", "v"), outcome.get("metadata"));
        assertEquals(List.of(Map.of("id", "RCL-TEST", "pin", "0811", "use_server_hangup", true)), verifiesSent());
        assertEquals(1, requestAttempts.get());
    }

    @Test
    void theRequestCarriesOnlyWhatCheckMobiNeeds() {
        AtomicInteger seen = new AtomicInteger();
        Processor ok = requestValidation;
        requestValidation = exchange -> {
            Map<String, Object> body = Pipeline.parse(exchange.getMessage().getHeader("sentBody", String.class)
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(Map.of("number", "+40743123456", "type", "reverse_cli", "platform", "android"), body);
            seen.incrementAndGet();
            ok.process(exchange);
        };
        start("r-body", "+40743123456");
        assertEquals(1, seen.get());
    }

    @Test
    void aDuplicateStartIsNotRequestedAgain() {
        start("r-dup", "+40743123456");
        start("r-dup", "+40743123456");
        assertEquals(1, requestAttempts.get());
        assertEquals(1, published("kafka.topic.events").size());
    }

    @Test
    void aStartAfterItsCancelIsCancelledWithoutAnyCall() {
        command("{\"type\":\"CANCEL\",\"verificationId\":\"r-cancel-first\"}");
        start("r-cancel-first", "+40743123456");

        Map<String, Object> outcome = awaitOutcome("r-cancel-first");
        assertEquals("CANCELLED", outcome.get("status"));
        assertEquals(0, requestAttempts.get());
        assertEquals(0, verifyAttempts.get());
    }

    @Test
    void aCancelWhileRingingHangsUp() {
        start("r-cancel", "+40743123456");
        command("{\"type\":\"CANCEL\",\"verificationId\":\"r-cancel\"}");

        Map<String, Object> outcome = awaitOutcome("r-cancel");
        assertEquals("CANCELLED", outcome.get("status"));
        assertEquals("HANGUP", verifiesSent().get(0).get("pin"));
        assertEquals(true, verifiesSent().get(0).get("use_server_hangup"));
    }

    @Test
    void anInvalidNumberIsRejectedWithoutACall() {
        start("r-invalid", "0743123456");
        Map<String, Object> outcome = awaitOutcome("r-invalid");
        assertEquals("REJECTED", outcome.get("status"));
        assertEquals("invalid_number", outcome.get("reason"));
        assertEquals(0, requestAttempts.get());
    }

    @Test
    void aRefusedRequestIsRejectedWithCheckMobisCode() {
        requestValidation = answer(400, "{\"code\":8,\"error\":\"Validation method not available in this country\"}");
        start("r-refused", "+40743123456");

        Map<String, Object> outcome = awaitOutcome("r-refused");
        assertEquals("REJECTED", outcome.get("status"));
        assertEquals("checkmobi.8", outcome.get("reason"));
        assertEquals(Map.of("code", 8, "message", "Validation method not available in this country",
                "httpStatus", 400), outcome.get("error"));
        assertTrue(published("kafka.topic.events").isEmpty());
        assertEquals(0, verifyAttempts.get());
    }

    @Test
    void aRequestThatNeverConnectedIsRetriedThenFails() {
        requestValidation = exchange -> {
            throw new ConnectException("Connection refused");
        };
        start("r-unreachable", "+40743123456");

        Map<String, Object> outcome = awaitOutcome("r-unreachable");
        assertEquals("FAILED", outcome.get("status"));
        assertEquals("checkmobi_unavailable", outcome.get("reason"));
        assertEquals(3, requestAttempts.get(), "one try and checkmobi.connect-retries (2) more");
    }

    @Test
    void aRequestThatMayHaveReachedCheckMobiIsNeverRepeated() {
        requestValidation = exchange -> {
            throw new SocketTimeoutException("Read timed out");
        };
        start("r-timeout", "+40743123456");
        assertEquals("FAILED", awaitOutcome("r-timeout").get("status"));
        assertEquals(1, requestAttempts.get());

        requestValidation = answer(503, "{\"code\":500,\"error\":\"Internal server error\"}");
        start("r-5xx", "+40743123456");
        assertEquals("checkmobi_unavailable", awaitOutcome("r-5xx").get("reason"));
        assertEquals(2, requestAttempts.get());
    }

    @Test
    void theDeadlineHangsUp() {
        command("{\"type\":\"START\",\"verificationId\":\"r-deadline\",\"number\":\"+40743123456\","
                + "\"timeoutSeconds\":1}");
        verifyPin = answer(200, "{\"number\":\"+40743123456\",\"validated\":false,\"validation_date\":null,"
                + "\"charged_amount\":0.0}");

        Map<String, Object> outcome = awaitOutcome("r-deadline");
        assertEquals("TIMED_OUT", outcome.get("status"));
        assertEquals(List.of(Map.of("id", "RCL-TEST", "pin", "HANGUP", "use_server_hangup", true)), verifiesSent());
    }

    @Test
    void aLateCallerIdIsCountedAndCallsNothing() {
        start("r-late", "+40743123456");
        callerId("r-late", "0811");
        awaitOutcome("r-late");
        VerificationMetrics late = context.getRegistry().lookupByNameAndType("verificationMetrics",
                VerificationMetrics.class);
        long before = late.lateReports();

        callerId("r-late", "0811");

        assertEquals(before + 1, late.lateReports());
        assertEquals(1, verifyAttempts.get());
        assertEquals(1, published("kafka.topic.outcomes").size());
    }

    @Test
    void anUnreadableRecordIsDeadLetteredUnchanged() throws Exception {
        MockEndpoint dlq = getMockEndpoint("mock:dlq");
        byte[] record = "{\"type\":\"START\"".getBytes(StandardCharsets.UTF_8);
        template.send("direct:commands", exchange -> {
            exchange.getMessage().setBody(record);
            exchange.getMessage().setHeader("kafka.TOPIC", "verification.commands");
            exchange.getMessage().setHeader("kafka.PARTITION", 2);
            exchange.getMessage().setHeader("kafka.OFFSET", 41L);
            exchange.getMessage().setHeader("kafka.KEY", "k".getBytes(StandardCharsets.UTF_8));
        });

        Exchange dead = dlq.getExchanges().get(0);
        assertArrayEquals(record, dead.getMessage().getBody(byte[].class));
        assertEquals("not_json", dead.getMessage().getHeader("dlq.reason"));
        assertEquals("verification.commands", dead.getMessage().getHeader("dlq.source.topic"));
        assertEquals("2", dead.getMessage().getHeader("dlq.source.partition"));
        assertEquals("41", dead.getMessage().getHeader("dlq.source.offset"));
        assertArrayEquals("k".getBytes(StandardCharsets.UTF_8), dead.getMessage().getHeader("kafka.KEY", byte[].class));
        assertNull(dead.getMessage().getHeader("kafka.TOPIC"), "the source topic must not redirect the dead letter");
        assertEquals(0, requestAttempts.get());
    }

    @Test
    void anUnreadableCallerIdIsDeadLettered() {
        template.sendBody("direct:callerid", "{\"verificationId\":\"v\",\"pin\":\"12\"}".getBytes(StandardCharsets.UTF_8));
        Exchange dead = getMockEndpoint("mock:dlq").getExchanges().get(0);
        assertEquals("invalid_field", dead.getMessage().getHeader("dlq.reason"));
    }
}
