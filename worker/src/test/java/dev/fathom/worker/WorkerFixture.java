package dev.fathom.worker;

import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.DeadLetter;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.NamespacePartitioner;
import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.Topics;
import dev.fathom.schemas.format.Frame;
import dev.fathom.schemas.format.SealedSegment;
import dev.fathom.testkit.KafkaBroker;
import dev.fathom.testkit.S3Server;
import dev.fathom.testkit.TestConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
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
        return TestConfigs.worker(kafka, s3, topics, PARTITIONS, group, workerId, bucket, stateDir);
    }

    /** Adds storage profile {@code name} on {@code bucket} (no prefix) of the same S3 server as the default one. */
    static void addProfile(Map<String, Object> props, String name, String bucket) {
        props.merge("storage.profiles", StorageProfile.DEFAULT_NAME + "," + name, (old, added) -> old + "," + name);
        for (String setting : List.of("endpoint", "region", "path.style", "access.key", "secret.key")) {
            props.put(StorageProfile.key(name, setting), props.get(StorageProfile.key(StorageProfile.DEFAULT_NAME,
                    setting)));
        }
        props.put(StorageProfile.key(name, "bucket"), bucket);
    }

    /** Returns a FathomStorage configuration of node {@code nodeId} over {@code topics} ({@link #PARTITIONS}). */
    static Map<String, Object> storageConfig(KafkaBroker kafka, Topics topics, String nodeId) {
        return TestConfigs.node(kafka, topics, PARTITIONS, nodeId);
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

    /** Returns, per member of consumer group {@code group}, how many partitions of {@code topic} it owns. */
    static List<Long> partitionsPerMember(KafkaBroker kafka, String group, String topic) {
        try {
            ConsumerGroupDescription description = kafka.admin().describeConsumerGroups(List.of(group)).all().get()
                    .get(group);
            return description.members().stream().map(m -> m.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(topic)).count()).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing group " + group, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not describe group " + group, e.getCause());
        }
    }

    /**
     * Returns the newest frame of each page of {@code segment} up to its final size_after, by page number: what its
     * compacted object must hold (pages beyond size_after were truncated away by the last commit). Computed here from
     * the frames, independently of the worker's compactor.
     */
    static Map<Integer, Frame> newestFrames(SealedSegment segment) {
        Map<Integer, Frame> pages = new TreeMap<>();
        for (Frame frame : segment.frames()) {
            if (frame.pageNo() <= segment.sizeAfter()) {
                pages.put(frame.pageNo(), frame); // frames are in frame order: a later version replaces an older one
            }
        }
        return pages;
    }

    /** Returns the first {@code count} names {@code <stem>N} whose records land on distinct partitions. */
    static List<String> namespacesOnDistinctPartitions(String stem, int count) {
        List<String> names = new ArrayList<>();
        Set<Integer> partitions = new HashSet<>();
        for (int i = 0; names.size() < count; i++) {
            if (partitions.add(NamespacePartitioner.partitionFor(stem + i, PARTITIONS))) {
                names.add(stem + i);
            }
        }
        return names;
    }

    /**
     * Returns {@code chain} with every {@code every}-th segment ending on a commit that halves the database, so its
     * compacted object must drop the pages beyond the new size_after.
     */
    static List<SealedSegment> truncatingEvery(int every, List<SealedSegment> chain) {
        List<SealedSegment> result = new ArrayList<>(chain.size());
        for (int i = 0; i < chain.size(); i++) {
            SealedSegment segment = chain.get(i);
            if (i % every != every - 1) {
                result.add(segment);
                continue;
            }
            List<Frame> frames = new ArrayList<>(segment.frames());
            Frame last = frames.remove(frames.size() - 1);
            frames.add(new Frame(last.pageNo(), Math.max(1, segment.sizeAfter() / 2), last.frameNo(), last.page()));
            result.add(SealedSegment.of(segment.pageSize(), segment.sealedAtMs(), frames));
        }
        return result;
    }
}
