package dev.fathom.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PublishFailuresTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new ProducerFencedException("fenced"), true),
                Arguments.of(new OutOfOrderSequenceException("lost sequence"), true),
                Arguments.of(new TopicAuthorizationException("denied"), true),
                Arguments.of(new TransactionalIdAuthorizationException("denied"), true),
                Arguments.of(new ClusterAuthorizationException("denied"), true),
                Arguments.of(new UnsupportedVersionException("old broker"), true),
                Arguments.of(new KafkaException("commit failed", new ProducerFencedException("fenced")), true),
                Arguments.of(new TimeoutException("slow"), false),
                Arguments.of(new NotLeaderOrFollowerException("moved"), false),
                Arguments.of(new TransactionAbortableException("abort"), false),
                Arguments.of(new InvalidProducerEpochException("epoch"), false),
                Arguments.of(new RecordTooLargeException("too large"), false),
                Arguments.of(new KafkaException("generic"), false),
                Arguments.of(new IllegalStateException("producer state"), false));
    }

    @ParameterizedTest(name = "{0} fatal={1}")
    @MethodSource("failures")
    void shouldClassifyByTheCauseChain(Throwable failure, boolean fatal) {
        assertEquals(fatal, PublishFailures.isFatal(failure));
    }
}
