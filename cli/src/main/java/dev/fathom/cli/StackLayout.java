package dev.fathom.cli;

import java.nio.file.Path;

/**
 * Where each service of a {@code fathom stack} keeps its data, generated config and log under the data dir:
 *
 * <pre>
 * kafka/            Kafka nodes (LocalKafka): node&lt;i&gt;/ log dirs, node&lt;i&gt;.properties, node&lt;i&gt;.log
 * s3/               S3Proxy's filesystem store (one directory per bucket)
 * workers/          worker-&lt;i&gt;.properties (generated) and worker-&lt;i&gt;/ (Kafka Streams state)
 * demo/             demo.db (+ -wal, -shm), agent.properties (generated), agent-state/, outbox/
 * logs/             worker-&lt;i&gt;.log, agent.log
 * </pre>
 *
 * Immutable and thread-safe.
 *
 * @param dataDir absolute data directory
 */
record StackLayout(Path dataDir) {

    Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    Path kafkaLog(int node) {
        return kafkaDir().resolve("node" + node + ".log");
    }

    Path s3Dir() {
        return dataDir.resolve("s3");
    }

    Path logsDir() {
        return dataDir.resolve("logs");
    }

    Path workerConfig(int index) {
        return dataDir.resolve("workers").resolve(workerName(index) + ".properties");
    }

    Path workerStateDir(int index) {
        return dataDir.resolve("workers").resolve(workerName(index));
    }

    Path workerLog(int index) {
        return logsDir().resolve(workerName(index) + ".log");
    }

    Path demoDatabase() {
        return dataDir.resolve("demo").resolve(StackSettings.DEMO_NAMESPACE + ".db");
    }

    Path agentConfig() {
        return dataDir.resolve("demo").resolve("agent.properties");
    }

    Path agentStateDir() {
        return dataDir.resolve("demo").resolve("agent-state");
    }

    Path agentOutboxDir() {
        return dataDir.resolve("demo").resolve("outbox");
    }

    Path agentLog() {
        return logsDir().resolve("agent.log");
    }

    /** Worker names are 1-based, as an operator counts them: worker-1, worker-2, ... */
    static String workerName(int index) {
        return "worker-" + index;
    }
}
