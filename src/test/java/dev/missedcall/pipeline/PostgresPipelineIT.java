package dev.missedcall.pipeline;

import java.util.Map;

import dev.missedcall.testing.SharedKafkaBroker;
import dev.missedcall.testing.SharedPostgres;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pipeline contract with the production store: PostgreSQL (embedded server, real JDBC, Flyway migrations). */
@ExtendWith({SharedKafkaBroker.class, SharedPostgres.class})
class PostgresPipelineIT extends PipelineContract {

    @Override
    protected String bootstrapServers() {
        return SharedKafkaBroker.bootstrapServers();
    }

    @Override
    protected Map<String, String> store() {
        return Map.of("verification.store.url", SharedPostgres.newDatabase(),
                "verification.store.user", "postgres", "verification.store.password", "postgres");
    }
}
