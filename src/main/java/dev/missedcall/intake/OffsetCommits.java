package dev.missedcall.intake;

import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Commits an input record's offset once its effect is durable (processed, or dead-lettered): at-least-once. A
 * record whose processing failed is not committed, and the consumer reads it again.
 */
public class OffsetCommits {

    public void commit(Object manualCommit) {
        if (manualCommit instanceof KafkaManualCommit commit) {
            commit.commit();
        }
    }
}
