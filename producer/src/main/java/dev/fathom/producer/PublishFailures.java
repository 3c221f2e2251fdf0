package dev.fathom.producer;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Classifies a failure of a publishing transaction as fatal (the producer cannot continue: stop and fail every
 * pending callback) or retryable (abort and retry the same batch), walking the cause chain. Stateless.
 */
final class PublishFailures {

    private PublishFailures() {
    }

    /**
     * Returns true when the failure, or any cause of it, means this producer must stop: another instance with the
     * same node.id took over (fenced), the broker lost the producer's sequence, access is denied, or the broker is
     * too old for transactions. Everything else (timeouts, leader changes, aborted transactions) is retried.
     */
    static boolean isFatal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException
                    || t instanceof OutOfOrderSequenceException
                    || t instanceof AuthorizationException
                    || t instanceof TransactionalIdAuthorizationException
                    || t instanceof AuthenticationException
                    || t instanceof UnsupportedVersionException
                    || t instanceof InvalidConfigurationException) {
                return true;
            }
        }
        return false;
    }
}
