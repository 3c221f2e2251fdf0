package dev.fathom.worker;

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

    /** The SDK reports an exhausted credentials provider chain as a plain client exception; it is configuration. */
    private static boolean isMissingCredentials(Throwable t) {
        return t instanceof SdkClientException && String.valueOf(t.getMessage()).contains("Unable to load credentials");
    }

    private record Rule(Predicate<Throwable> matches, FailureClass kind) {
    }
}
