package dev.fathom.devstack;

import java.util.Optional;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * A KRaft node running inside this JVM as a {@link KafkaRaftServer}. A thread cannot be SIGKILLed, so
 * {@link #kill()} is a clean shutdown. Not thread-safe; owned by {@link LocalKafka}.
 */
final class InProcessKafkaNode implements KafkaNode {

    private final int index;
    private final Properties properties;
    private KafkaRaftServer server;

    InProcessKafkaNode(int index, Properties properties) {
        this.index = index;
        this.properties = properties;
    }

    @Override
    public void start() {
        if (server != null) {
            return;
        }
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            shutdown(s);
            throw new IllegalStateException("In-process Kafka node " + index + " failed to start (log.dirs="
                    + properties.getProperty("log.dirs") + ")", e);
        }
        server = s;
    }

    @Override
    public void kill() {
        if (server != null) {
            KafkaRaftServer s = server;
            server = null;
            shutdown(s);
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public Optional<String> failure() {
        return Optional.empty();
    }

    private static void shutdown(KafkaRaftServer s) {
        s.shutdown();
        s.awaitShutdown();
    }
}
