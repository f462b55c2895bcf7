package dev.missedcall.pipeline;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same contract on a Kafka broker in a container, where Docker runs; skipped cleanly elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class DockerKafkaPipelineIT extends PipelineContract {

    @Container
    private static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:3.9.1");

    @Override
    protected String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
