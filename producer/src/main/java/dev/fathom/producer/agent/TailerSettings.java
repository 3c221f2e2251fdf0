package dev.fathom.producer.agent;

import java.time.Duration;

/**
 * What every {@link DatabaseTailer} of an agent shares: where state goes, when to seal and checkpoint, the storage
 * profile, the SQLite busy timeout and the agent's meters. Immutable; thread-safe (the state store is thread-safe per
 * namespace, the meters are thread-safe).
 */
record TailerSettings(AgentStateStore stateStore, SealPolicy sealPolicy, String profile, Duration checkpointInterval,
                      Duration busyTimeout, AgentMetrics metrics) {

    static TailerSettings of(AgentConfig config, AgentMetrics metrics) {
        return new TailerSettings(new AgentStateStore(config.stateDir()), config.sealPolicy(),
                config.storageProfile(), config.checkpointInterval(), config.busyTimeout(), metrics);
    }

    /** Frames to read per WAL read: about one segment's worth, so a backlog is sealed in segment-sized pieces. */
    int framesPerRead(int pageSize) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, sealPolicy.maxBytes() / pageSize));
    }
}
