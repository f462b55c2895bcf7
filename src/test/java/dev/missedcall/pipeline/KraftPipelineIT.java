package dev.missedcall.pipeline;

import dev.missedcall.testing.SharedKafkaBroker;

/** The pipeline contract on Kafka's own KRaft broker, in this JVM: runs everywhere, Docker or not. */
class KraftPipelineIT extends PipelineContract {

    @Override
    protected String bootstrapServers() {
        return SharedKafkaBroker.bootstrapServers();
    }
}
