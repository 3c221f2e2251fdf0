package dev.fathom.faults;

import dev.fathom.devstack.LocalKafka;
import dev.fathom.schemas.TopicProvisioner;
import dev.fathom.schemas.Topics;
import dev.fathom.testkit.ForkedJvm;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestConfigs;
import dev.fathom.worker.WorkerConfig;
import dev.fathom.worker.WorkerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The system under fault: a 3-node KRaft cluster of forked {@code kafka.Kafka} processes, S3Proxy in this JVM
 * (stoppable on the same port), and worker JVMs ({@link WorkerMain}) started, SIGKILLed and stopped by id. A restarted
 * worker keeps its id, hence its transactional id, as a restarted pod would. Every process writes its own log under
 * the run directory. Not thread-safe: the fault driver owns it and closes it (SIGKILL of everything left).
 */
final class FaultCluster implements AutoCloseable {

    static final String GROUP = "fathom-faults";
    private static final int KAFKA_NODES = 3;

    private final Path dir;
    private final FaultPlan plan;
    private final LocalKafka kafka;
    private final S3Server s3;
    private final Topics topics = Topics.defaults();
    private final Map<String, ForkedJvm> workers = new TreeMap<>();
    private final List<ForkedJvm> exited = new ArrayList<>();
    private String bucket;
    private String s3Endpoint;
    private int launches;

    private FaultCluster(Path dir, FaultPlan plan) {
        this.dir = dir;
        this.plan = plan;
        this.kafka = LocalKafka.builder().nodes(KAFKA_NODES).mode(LocalKafka.Mode.PROCESS).dataDir(dir.resolve("kafka"))
                .classpath(testClasspath()).startTimeout(Duration.ofSeconds(120)).build();
        this.s3 = S3Server.filesystem();
    }

    /** Starts Kafka and S3, creates the bucket and the topics (replicated on all three nodes). */
    static FaultCluster start(Path dir, FaultPlan plan) {
        FaultCluster cluster = new FaultCluster(dir, plan);
        try {
            cluster.kafka.start();
            cluster.s3.start();
            cluster.bucket = cluster.s3.newBucket();
            cluster.s3Endpoint = cluster.s3.endpoint().toString(); // the same after a restart, asked for while down
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    cluster.kafka.bootstrapServers()))) {
                new TopicProvisioner(admin, cluster.topics, new WorkerConfig(cluster.workerConfig("provisioner"))
                        .topicSettings()).ensureTopics();
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    Topics topics() {
        return topics;
    }

    String bucket() {
        return bucket;
    }

    S3Server s3() {
        return s3;
    }

    /** Starts worker {@code id} in a new JVM (after a kill, the same id comes back). */
    void startWorker(String id) {
        Path config = write(workerConfig(id), dir.resolve("config").resolve(id + ".properties"));
        launches++;
        workers.put(id, ForkedJvm.start(WorkerMain.class.getName(), List.of(config.toString()),
                List.of("-Xms64m", "-XX:TieredStopAtLevel=1"),
                dir.resolve("logs").resolve(id + "-" + launches + ".log")));
    }

    /** SIGKILLs worker {@code id}: no shutdown hook, no leave-group; its partitions move after the session timeout. */
    void killWorker(String id) {
        ForkedJvm jvm = workers.remove(id);
        jvm.killHard();
        exited.add(jvm);
    }

    /** Stops worker {@code id} gracefully (SIGTERM: it leaves the group at once). */
    void stopWorker(String id) {
        ForkedJvm jvm = workers.remove(id);
        jvm.terminate();
        jvm.awaitExit(Duration.ofSeconds(60));
        exited.add(jvm);
    }

    /** Ids of the running workers; a worker that died on its own is reported by {@link #deadWorkers()}. */
    List<String> workerIds() {
        return List.copyOf(workers.keySet());
    }

    /** Workers that exited without being told to: id → the end of their log. */
    Map<String, String> deadWorkers() {
        Map<String, String> dead = new TreeMap<>();
        workers.forEach((id, jvm) -> {
            if (!jvm.isAlive()) {
                dead.put(id, "log " + jvm.logFile() + ":\n" + jvm.logTail(30));
            }
        });
        return dead;
    }

    int workerLaunches() {
        return launches;
    }

    void killBroker(int index) {
        kafka.killNode(index);
    }

    void restartBroker(int index) {
        kafka.startNode(index);
    }

    int brokers() {
        return KAFKA_NODES;
    }

    void stopS3() {
        s3.stop();
    }

    void startS3() {
        s3.start();
    }

    /** The node library's configuration (the test JVM plays every database node). */
    Map<String, Object> nodeConfig() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("node.id", "faults-node");
        props.put("topic.partitions", Integer.toString(plan.partitions()));
        return props;
    }

    private Map<String, Object> workerConfig(String id) {
        Map<String, Object> props = TestConfigs.worker(kafka.bootstrapServers(), s3, s3Endpoint, GROUP, id, bucket,
                dir.resolve("state"));
        props.put("topic.partitions", Integer.toString(plan.partitions()));
        // Slower retries than the ITs': the S3 outage lasts up to a minute and a retry storm only adds load.
        props.put("job.retry.backoff.ms", "100");
        props.put("job.retry.backoff.max.ms", "2000");
        return props;
    }

    private static Path write(Map<String, Object> props, Path file) {
        Properties p = new Properties();
        props.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file)) {
                p.store(out, "fault suite worker");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write worker config " + file, e);
        }
    }

    /** The module's test classpath written by maven-dependency-plugin; forked Kafka nodes need the broker jars. */
    private static String testClasspath() {
        Path target = Path.of("target").toAbsolutePath();
        try {
            return String.join(java.io.File.pathSeparator, target.resolve("test-classes").toString(),
                    Files.readString(target.resolve("test.classpath"), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("No " + target.resolve("test.classpath") + ": run the suite through Maven"
                    + " from the faults module (mvn -pl faults -am verify)", e);
        }
    }

    /** SIGKILLs every worker, then the Kafka nodes; stops S3 and deletes its data. */
    @Override
    public void close() {
        workers.values().forEach(ForkedJvm::close);
        workers.clear();
        exited.forEach(ForkedJvm::close);
        kafka.close();
        s3.close();
    }
}
