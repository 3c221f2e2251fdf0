package dev.fathom.worker;

import dev.fathom.producer.storage.ServerSideEncryption;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.format.CorruptSegmentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Maps a failure to {@link FailureClass} by walking its cause chain from the outermost exception inwards; the first
 * exception a rule recognises decides. Unrecognised exceptions are TRANSIENT (a retried bug is loud in the logs and
 * loses nothing; dead-lettering a valid segment or crash-looping every namespace would be worse); an {@link Error}
 * anywhere in the chain is FATAL. Stateless and thread-safe.
 */
final class FailureClassifier {

    private static final List<Rule> RULES = List.of(
            new Rule(t -> t instanceof CorruptSegmentException, FailureClass.POISON),
            new Rule(t -> t instanceof IllegalArgumentException, FailureClass.POISON),
            new Rule(t -> t instanceof SerializationException, FailureClass.POISON),
            new Rule(t -> t instanceof AuthenticationException, FailureClass.FATAL),
            new Rule(t -> t instanceof AuthorizationException, FailureClass.FATAL),
            new Rule(t -> t instanceof ConfigException, FailureClass.FATAL),
            new Rule(t -> t instanceof RetriableException, FailureClass.TRANSIENT),
            new Rule(FailureClassifier::isFatalServiceError, FailureClass.FATAL),
            new Rule(t -> notImplemented(t).isPresent(), FailureClass.FATAL),
            new Rule(t -> t instanceof SdkServiceException, FailureClass.TRANSIENT),
            new Rule(FailureClassifier::isMissingCredentials, FailureClass.FATAL),
            new Rule(t -> t instanceof SdkClientException, FailureClass.TRANSIENT),
            new Rule(t -> t instanceof IOException || t instanceof UncheckedIOException, FailureClass.TRANSIENT),
            new Rule(t -> t instanceof TimeoutException, FailureClass.TRANSIENT),
            new Rule(t -> t instanceof Error, FailureClass.FATAL));

    private FailureClassifier() {
    }

    /** Classifies {@code failure}. */
    static FailureClass classify(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            Optional<FailureClass> decided = decide(t);
            if (decided.isPresent()) {
                return decided.get();
            }
        }
        return FailureClass.TRANSIENT;
    }

    /**
     * Returns what an operator should check when {@code failure} (classified FATAL) stopped a job storing into
     * {@code profile}: for a store that answers 501 Not Implemented (S3Proxy's filesystem backend and some
     * S3-compatible stores refuse SSE headers that way) the profile's {@code sse} setting, otherwise the profile's
     * bucket, credentials and endpoint.
     */
    static String hint(Throwable failure, StorageProfile profile) {
        String sseKey = "storage.profile." + profile.name() + ".sse";
        Optional<SdkServiceException> unsupported = Optional.empty();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && unsupported.isEmpty() && seen.put(t, Boolean.TRUE) == null;
                t = t.getCause()) {
            unsupported = notImplemented(t);
        }
        if (unsupported.isEmpty()) {
            return "check storage profile '" + profile.name() + "' (bucket, credentials, endpoint)";
        }
        String answer = "the store of storage profile '" + profile.name() + "' (bucket " + profile.bucket()
                + ") answered 501 Not Implemented (" + unsupported.get().getMessage() + ")";
        if (profile.sse().mode() != ServerSideEncryption.Mode.NONE) {
            return answer + ": it does not support the server-side encryption the profile asks for ("
                    + sseKey + "=" + profile.sse().mode().configValue() + "); set " + sseKey
                    + "=none for this store (or use client-side encryption, storage.profile." + profile.name()
                    + ".encryption.key), or use a store that supports SSE";
        }
        return answer + ": it does not support a request the worker makes (" + sseKey
                + "=none); use an S3-compatible store that supports PutObject";
    }

    private static Optional<FailureClass> decide(Throwable t) {
        return RULES.stream().filter(rule -> rule.matches().test(t)).map(Rule::kind).findFirst();
    }

    /**
     * Access denied (401/403) and a missing bucket (404 NoSuchBucket) are configuration errors: no retry fixes them.
     * A 404 on another resource or any 4xx/5xx throttling or server error is left to the TRANSIENT rule.
     */
    private static boolean isFatalServiceError(Throwable t) {
        if (!(t instanceof SdkServiceException service)) {
            return false;
        }
        int status = service.statusCode();
        boolean noSuchBucket = status == 404 && String.valueOf(t.getMessage()).contains("NoSuchBucket")
                || t.getClass().getSimpleName().equals("NoSuchBucketException");
        return status == 401 || status == 403 || noSuchBucket;
    }

    /**
     * 501 Not Implemented: the store lacks a feature the request uses (typically the SSE header); retrying the same
     * request can never succeed, so it is a configuration error.
     */
    private static Optional<SdkServiceException> notImplemented(Throwable t) {
        return t instanceof SdkServiceException service && service.statusCode() == 501
                ? Optional.of(service) : Optional.empty();
    }

    /** The SDK reports an exhausted credentials provider chain as a plain client exception; it is configuration. */
    private static boolean isMissingCredentials(Throwable t) {
        return t instanceof SdkClientException && String.valueOf(t.getMessage()).contains("Unable to load credentials");
    }

    private record Rule(Predicate<Throwable> matches, FailureClass kind) {
    }
}
