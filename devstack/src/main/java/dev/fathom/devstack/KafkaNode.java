package dev.fathom.devstack;

import java.util.Optional;

/**
 * One combined KRaft node of a {@link LocalKafka} cluster, running in this JVM ({@link InProcessKafkaNode}) or as
 * a child process ({@link ForkedKafkaNode}). Implementations are not thread-safe; {@link LocalKafka} serialises calls.
 */
interface KafkaNode {

    /** Launches the node from its formatted log directory; returns before it is ready to serve. */
    void start();

    /** Stops the node as abruptly as the mode allows (SIGKILL for a process). Idempotent. */
    void kill();

    /** True once started and until killed (or, for a process, until it exited). */
    boolean isRunning();

    /** A description of why the node died on its own (exit code, log file), empty while it runs or was never started. */
    Optional<String> failure();
}
