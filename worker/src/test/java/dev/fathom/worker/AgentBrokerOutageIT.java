package dev.fathom.worker;


import dev.fathom.producer.agent.Agent;
import dev.fathom.producer.agent.AgentConfig;
import dev.fathom.schemas.Topics;
import dev.fathom.testkit.Await;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.SqlWorkload;
import dev.fathom.testkit.SqlWorkload.AutoVacuum;
import dev.fathom.testkit.SqlWorkload.Checkpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent keeps shipping a live database across a 30 s broker outage: sealed segments wait in its outbox (and the
 * WAL, which it does not checkpoint while frames are not durable), and after the broker is back the restored
 * database equals the source with a contiguous chain.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AgentBrokerOutageIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.forkedProcess();
    @RegisterExtension
    static final S3Server S3 = S3Server.filesystem();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldLoseNothingWhenTheBrokerIsDownFor30Seconds() throws Exception {
        Topics topics = WorkerFixture.uniqueTopics("agent-outage");
        String bucket = S3.newBucket();
        Path app = dir.resolve("outage.db");
        Map<String, Object> props = new HashMap<>(WorkerFixture.storageConfig(KAFKA, topics, "node-outage"));
        props.put("state.dir", dir.resolve("agent-state").toString());
        props.put("outbox.dir", dir.resolve("outbox").toString());
        // A small outbox: once it is full, store() blocks the agent and the WAL (not checkpointed) buffers the rest.
        props.put("outbox.max.bytes", Long.toString(64L * 1024 * 1024));
        props.put("queue.block.timeout.ms", "180000");
        props.put("databases", app.toString());
        props.put("segment.max.age.ms", "200");
        props.put("poll.interval.ms", "20");
        props.put("checkpoint.interval.ms", "300");
        try (Worker worker = Worker.start(new WorkerConfig(WorkerFixture.config(KAFKA, S3, topics, "outage-workers",
                "w1", bucket, dir.resolve("worker-state"))));
             SqlWorkload workload = SqlWorkload.open(app, 4096, AutoVacuum.NONE, Checkpoints.PASSIVE, 23);
             Agent agent = Agent.start(new AgentConfig(props))) {
            workload.run(30);
            Await.until(TIMEOUT, () -> agent.storage().durableFrameNo("outage") > 0, "a first durable frame");
            KAFKA.kill();
            long outageEnd = System.nanoTime() + OUTAGE.toNanos();
            workload.run(150); // the application keeps writing during the outage
            long left = outageEnd - System.nanoTime();
            if (left > 0) {
                // Holds the outage for its whole length (the scenario's duration, not a synchronisation).
                TimeUnit.NANOSECONDS.sleep(left);
            }
            KAFKA.restart();
            workload.run(20);
            awaitRestoreEqualsSource(agent, worker, bucket, workload);
        }
        new SourceRestoreCheck(S3.client(), bucket, dir, TIMEOUT).assertContiguous("outage");
    }

    private void awaitRestoreEqualsSource(Agent agent, Worker worker, String bucket, SqlWorkload source)
            throws Exception {
        try {
            new SourceRestoreCheck(S3.client(), bucket, dir, TIMEOUT).awaitLatestEqualsSource(
                    agent.storage()::durableFrameNo, "outage", source);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; durable " + agent.storage().durableFrameNo("outage")
                    + ", last stored " + agent.storage().lastStoredFrameNo("outage") + ", outbox bytes "
                    + agent.storage().outboxBytes() + ", worker failure " + worker.failure(), e);
        }
    }
}
