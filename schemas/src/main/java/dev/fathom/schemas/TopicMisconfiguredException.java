package dev.fathom.schemas;

/**
 * Thrown when an existing Fathom topic has a setting Fathom cannot run with (cleanup policy, partition count); the
 * message names the topic, the setting, the expected and the actual value. Immutable and therefore thread-safe.
 */
public final class TopicMisconfiguredException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that already names topic, setting, expected and actual value. */
    public TopicMisconfiguredException(String message) {
        super(message);
    }
}
