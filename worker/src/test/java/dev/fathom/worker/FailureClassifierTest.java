package dev.fathom.worker;

import static dev.fathom.worker.FailureClass.FATAL;
import static dev.fathom.worker.FailureClass.POISON;
import static dev.fathom.worker.FailureClass.TRANSIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.storage.ServerSideEncryption;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.format.CorruptSegmentException;
import dev.fathom.schemas.format.InvalidSegmentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class FailureClassifierTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                row("S3 503 Slow Down", s3(503, "SlowDown"), TRANSIENT),
                row("S3 500 internal error", s3(500, "InternalError"), TRANSIENT),
                row("S3 429 throttled", s3(429, "TooManyRequests"), TRANSIENT),
                row("S3 403 access denied", s3(403, "AccessDenied"), FATAL),
                row("S3 401 unauthorized", s3(401, "Unauthorized"), FATAL),
                row("S3 404 no such bucket", NoSuchBucketException.builder().statusCode(404)
                        .message("The specified bucket does not exist").build(), FATAL),
                row("S3 connection refused", SdkClientException.create("Unable to execute HTTP request",
                        new ConnectException("Connection refused")), TRANSIENT),
                row("S3 API call timeout", ApiCallTimeoutException.create(30_000), TRANSIENT),
                row("S3 501 not implemented (SSE refused)", s3(501, "Server-side encryption is not supported"),
                        FATAL),
                row("S3 no credentials", SdkClientException.create("Unable to load credentials from any of the"
                        + " providers in the chain"), FATAL),
                row("socket timeout", new SocketTimeoutException("Read timed out"), TRANSIENT),
                row("unchecked IO", new UncheckedIOException(new IOException("broken pipe")), TRANSIENT),
                row("Kafka timeout", new TimeoutException("Expiring 1 record(s)"), TRANSIENT),
                row("Kafka topic authorization", new TopicAuthorizationException("not allowed"), FATAL),
                row("Kafka SASL authentication", new SaslAuthenticationException("bad password"), FATAL),
                row("Kafka serialization", new SerializationException("unknown fingerprint"), POISON),
                row("corrupt segment", new CorruptSegmentException("s3://b/k", 16, "page CRC mismatch"), POISON),
                row("invalid segment", new InvalidSegmentException("Invalid segment: no frames"), POISON),
                row("config error", new ConfigException("storage.profile.x.bucket", "", "empty"), FATAL),
                row("wrapped S3 403 in ExecutionException", new ExecutionException(s3(403, "AccessDenied")), FATAL),
                row("wrapped corrupt in CompletionException", new CompletionException(
                        new CorruptSegmentException("x", 0, "bad magic")), POISON),
                row("bare KafkaException around a timeout", new KafkaException("send failed",
                        new TimeoutException("x")), TRANSIENT),
                row("unknown runtime exception", new IllegalStateException("surprise"), TRANSIENT),
                row("out of memory", new OutOfMemoryError("Java heap space"), FATAL),
                row("stack overflow", new StackOverflowError(), FATAL),
                row("other error", new AssertionError("bug"), FATAL));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("failures")
    void shouldClassifyByTheCauseChain(String description, Throwable failure, FailureClass expected) {
        assertEquals(expected, FailureClassifier.classify(failure), description);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("failures")
    void shouldSeeThroughAGenericWrapper(String description, Throwable failure, FailureClass expected) {
        RuntimeException wrapper = new RuntimeException("job failed", failure);

        assertEquals(expected, FailureClassifier.classify(wrapper), description);
    }

    @Test
    void shouldSurviveACyclicCauseChain() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        assertEquals(TRANSIENT, FailureClassifier.classify(a));
    }

    @Test
    void shouldNameTheProfileAndItsSseSettingWhenTheStoreDoesNotImplementSse() {
        StorageProfile profile = new StorageProfile("archive", "fathom-archive", "", null, "us-east-1", true, "",
                null, new ServerSideEncryption(ServerSideEncryption.Mode.AES256, ""), null);
        S3Exception refused = s3(501, "Server-side encryption is not supported");

        assertEquals(FATAL, FailureClassifier.classify(new RuntimeException("upload failed", refused)));
        String hint = FailureClassifier.hint(new RuntimeException("upload failed", refused), profile);
        assertTrue(hint.contains("storage profile 'archive'"), hint);
        assertTrue(hint.contains("501 Not Implemented (Server-side encryption is not supported)"), hint);
        assertTrue(hint.contains("storage.profile.archive.sse=aes256"), hint);
        assertTrue(hint.contains("set storage.profile.archive.sse=none"), hint);
    }

    @Test
    void shouldPointAtBucketCredentialsAndEndpointForOtherFatalStoreErrors() {
        StorageProfile profile = new StorageProfile("default", "fathom", "", null, "us-east-1", true, "", null);

        String hint = FailureClassifier.hint(s3(403, "AccessDenied"), profile);
        assertEquals("check storage profile 'default' (bucket, credentials, endpoint)", hint);
        String noSse = FailureClassifier.hint(s3(501, "NotImplemented"), profile);
        assertTrue(noSse.contains("storage profile 'default'") && noSse.contains("storage.profile.default.sse=none"),
                noSse);
    }

    private static Arguments row(String description, Throwable failure, FailureClass expected) {
        return Arguments.of(description, failure, expected);
    }

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(code).build();
    }
}
