package dev.missedcall.pipeline;

import dev.missedcall.testing.SharedKafkaBroker;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pipeline contract on Kafka's own KRaft broker, in this JVM: runs everywhere, Docker or not. */
@ExtendWith(SharedKafkaBroker.class)
class KraftPipelineIT extends PipelineContract {

    @Override
    protected String bootstrapServers() {
        return SharedKafkaBroker.bootstrapServers();
    }
}
