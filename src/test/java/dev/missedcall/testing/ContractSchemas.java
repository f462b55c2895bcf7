package dev.missedcall.testing;

import java.io.InputStream;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON Schemas in {@code schemas/}, as shipped: what the bundle publishes must validate against them. */
public final class ContractSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private ContractSchemas() {
    }

    /** Asserts that the JSON document is valid for the topic's schema ({@code verification.outcomes}, …). */
    public static void assertValid(String topic, String json) {
        try (InputStream in = ContractSchemas.class.getResourceAsStream("/schemas/" + topic + ".schema.json")) {
            if (in == null) {
                throw new AssertionError("no schema for " + topic);
            }
            JsonSchema schema = FACTORY.getSchema(in);
            JsonNode document = JSON.readTree(json);
            Set<ValidationMessage> problems = schema.validate(document);
            assertTrue(problems.isEmpty(), topic + " record " + json + " breaks its schema: " + problems);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
