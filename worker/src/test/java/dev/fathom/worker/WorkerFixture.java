package dev.fathom.worker;

import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Shared wiring of the worker integration tests: unique topics and groups per test, a worker configuration pointing
 * at the test broker and S3 server, and decoded views of the meta, catalog and dead-letter topics. Stateless.
 */
final class WorkerFixture {

    static final int PARTITIONS = 4;
    private static final AtomicInteger RUN = new AtomicInteger();

    private WorkerFixture() {
    }

    /** Returns four fresh topic names. */
    static Topics uniqueTopics(String tag) {
        String p = "t" + RUN.incrementAndGet() + "-" + tag + ".";
        return new Topics(p + "segments", p + "meta", p + "catalog", p + "dlq");
    }

    /** Returns a worker configuration with the default storage profile on {@code bucket} of {@code s3}. */
    static Map<String, Object> config(KafkaBroker kafka, S3Server s3, Topics topics, String group, String workerId,
                                      String bucket, Path stateDir) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("group.id", group);
        props.put("worker.id", workerId);
        props.put("topic.segments", topics.segments());
        props.put("topic.meta", topics.meta());
        props.put("topic.catalog", topics.catalog());
        props.put("topic.dlq", topics.deadLetters());
        props.put("topic.partitions", Integer.toString(PARTITIONS));
        props.put("http.port", "0");
        props.put("http.listen.host", "127.0.0.1");
        props.put("state.dir", stateDir.resolve(workerId).toString());
        props.put("storage.profile.default.bucket", bucket);
        props.put("storage.profile.default.endpoint", s3.endpoint().toString());
        props.put("storage.profile.default.region", s3.region());
        props.put("storage.profile.default.path.style", "true");
        props.put("storage.profile.default.access.key", s3.accessKey());
        props.put("storage.profile.default.secret.key", s3.secretKey());
        props.put("job.retry.backoff.ms", "50");
        props.put("job.retry.backoff.max.ms", "1000");
        // Short sessions so a killed worker's partitions move on within seconds (broker minimum: 6 s).
        props.put("kafka.consumer.session.timeout.ms", "6000");
        props.put("kafka.consumer.heartbeat.interval.ms", "500");
        props.put("kafka.producer.transaction.timeout.ms", "20000");
        props.put("kafka.streams.session.timeout.ms", "6000");
        props.put("kafka.streams.heartbeat.interval.ms", "500");
        return props;
    }

    /** Writes {@code props} as a properties file (for a forked WorkerMain). */
    static Path write(Map<String, Object> props, Path file) {
        Properties p = new Properties();
        props.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "worker under test");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <V> List<ConsumerRecord<String, V>> read(KafkaBroker kafka, String topic, Deserializer<V> values) {
        return kafka.readAll(topic, new StringDeserializer(), values);
    }

    /** Every meta record, in offset order, values decoded. */
    static List<DurableFrame> metaRecords(KafkaBroker kafka, Topics topics) {
        return read(kafka, topics.meta(), FathomSerdes.durableFrame().deserializer()).stream()
                .map(ConsumerRecord::value).toList();
    }

    /** The last meta record per namespace (offset order within a partition). */
    static Map<String, Long> lastDurable(KafkaBroker kafka, Topics topics) {
        Map<String, Long> last = new TreeMap<>();
        metaRecords(kafka, topics).forEach(f -> last.put(f.getNamespace(), f.getDurableFrameNo()));
        return last;
    }

    /** Every catalog record with its key. */
    static List<ConsumerRecord<String, SegmentInfo>> catalog(KafkaBroker kafka, Topics topics) {
        return read(kafka, topics.catalog(), FathomSerdes.segmentInfo().deserializer());
    }

    /** Every dead letter. */
    static List<DeadLetter> deadLetters(KafkaBroker kafka, Topics topics) {
        return read(kafka, topics.deadLetters(), FathomSerdes.deadLetter().deserializer()).stream()
                .map(ConsumerRecord::value).toList();
    }

    /** Every raw record of the segments topic (to count what was published). */
    static int segmentRecordCount(KafkaBroker kafka, Topics topics) {
        return read(kafka, topics.segments(), new ByteArrayDeserializer()).size();
    }

    /** Returns the newest version of each page of {@code segment}, by page number. */
    static Map<Integer, byte[]> newestPages(SealedSegment segment) {
        Map<Integer, byte[]> pages = new TreeMap<>();
        for (Frame frame : segment.frames()) {
            pages.put(frame.pageNo(), frame.page());
        }
        return pages;
    }

    /** Returns {@code frames} (sorted by page) as page number → bytes, for comparison with {@link #newestPages}. */
    static Map<Integer, byte[]> pagesOf(List<Frame> frames) {
        Map<Integer, byte[]> pages = new LinkedHashMap<>();
        frames.forEach(f -> pages.put(f.pageNo(), f.page()));
        return pages;
    }

    /** Returns whether two page maps hold the same pages with the same bytes, in the same order. */
    static boolean samePages(Map<Integer, byte[]> expected, Map<Integer, byte[]> actual) {
        return expected.keySet().stream().toList().equals(actual.keySet().stream().toList())
                && expected.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), actual.get(e.getKey())));
    }
}
