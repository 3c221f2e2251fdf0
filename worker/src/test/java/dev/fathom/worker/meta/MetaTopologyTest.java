package dev.fathom.worker.meta;

import static dev.fathom.worker.meta.MetaFixtures.durable;
import static dev.fathom.worker.meta.MetaFixtures.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.fathom.schemas.CatalogKey;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.schemas.SegmentInfo;
import dev.fathom.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaTopologyTest {

    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, DurableFrame> meta;
    private TestInputTopic<String, SegmentInfo> catalog;
    private KeyValueStore<String, DurableFrame> durableFrames;
    private KeyValueStore<String, SegmentInfo> segments;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "meta-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology(), props);
        meta = driver.createInputTopic(TOPICS.meta(), new StringSerializer(),
                FathomSerdes.durableFrame().serializer());
        catalog = driver.createInputTopic(TOPICS.catalog(), new StringSerializer(),
                FathomSerdes.segmentInfo().serializer());
        durableFrames = driver.getKeyValueStore(MetaTopology.DURABLE_FRAMES_STORE);
        segments = driver.getKeyValueStore(MetaTopology.SEGMENT_CATALOG_STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldNotRegressDurableFrameWhenOlderRecordArrivesLater() {
        meta.pipeInput("db", durable("db", 1, 10));
        meta.pipeInput("db", durable("db", 11, 30));
        meta.pipeInput("db", durable("db", 1, 10)); // a zombie worker's late commit

        assertEquals(durable("db", 11, 30), durableFrames.get("db"));
    }

    @Test
    void shouldAdvanceDurableFrameAndAcceptAnEqualOne() {
        meta.pipeInput("db", durable("db", 1, 10));
        meta.pipeInput("db", durable("db", 11, 20));
        DurableFrame replay = DurableFrame.newBuilder(durable("db", 11, 20)).setUpdatedAtMs(42).build();
        meta.pipeInput("db", replay);

        assertEquals(replay, durableFrames.get("db"));
    }

    @Test
    void shouldIgnoreMetaTombstoneBecauseDurableFramesNeverMoveBackwards() {
        meta.pipeInput("db", durable("db", 1, 10));
        meta.pipeInput("db", (DurableFrame) null);

        assertEquals(10, durableFrames.get("db").getDurableFrameNo());
    }

    @Test
    void shouldScanOnlyOneNamespacesSegmentsInFrameOrder() {
        // Names that share the prefix "db" and sort right around "db/" byte-wise: '-' and '.' below '/', '2' above.
        for (String ns : List.of("db2", "db.x", "db-x", "d", "dc", "db")) {
            catalog.pipeInput(CatalogKey.of(ns, 250), segment(ns, 101, 250));
            catalog.pipeInput(CatalogKey.of(ns, 9), segment(ns, 1, 9));
            catalog.pipeInput(CatalogKey.of(ns, 100), segment(ns, 10, 100));
        }

        assertEquals(List.of(segment("db", 1, 9), segment("db", 10, 100), segment("db", 101, 250)),
                LocalMetaStores.scan(segments, "db", 0, Long.MAX_VALUE));
        assertEquals(List.of(segment("db.x", 1, 9), segment("db.x", 10, 100), segment("db.x", 101, 250)),
                LocalMetaStores.scan(segments, "db.x", 1, Long.MAX_VALUE));
        assertEquals(List.of(segment("d", 1, 9), segment("d", 10, 100), segment("d", 101, 250)),
                LocalMetaStores.scan(segments, "d", 1, Long.MAX_VALUE));
        assertEquals(List.of(), LocalMetaStores.scan(segments, "db3", 1, Long.MAX_VALUE));
    }

    @Test
    void shouldReturnSegmentsOverlappingTheFrameRange() {
        catalog.pipeInput(CatalogKey.of("db", 9), segment("db", 1, 9));
        catalog.pipeInput(CatalogKey.of("db", 100), segment("db", 10, 100));
        catalog.pipeInput(CatalogKey.of("db", 250), segment("db", 101, 250));
        catalog.pipeInput(CatalogKey.of("db2", 50), segment("db2", 1, 50));

        assertEquals(List.of(segment("db", 10, 100)), LocalMetaStores.scan(segments, "db", 10, 100));
        assertEquals(List.of(segment("db", 1, 9), segment("db", 10, 100)),
                LocalMetaStores.scan(segments, "db", 9, 10));
        assertEquals(List.of(segment("db", 10, 100), segment("db", 101, 250)),
                LocalMetaStores.scan(segments, "db", 50, 101));
        assertEquals(List.of(segment("db", 101, 250)), LocalMetaStores.scan(segments, "db", 250, 250));
        assertEquals(List.of(), LocalMetaStores.scan(segments, "db", 251, Long.MAX_VALUE));
    }

    @Test
    void shouldDeleteSegmentOnTombstone() {
        catalog.pipeInput(CatalogKey.of("db", 9), segment("db", 1, 9));
        catalog.pipeInput(CatalogKey.of("db", 100), segment("db", 10, 100));
        catalog.pipeInput(CatalogKey.of("db", 9), (SegmentInfo) null);

        assertNull(segments.get(CatalogKey.of("db", 9)));
        assertEquals(List.of(segment("db", 10, 100)), LocalMetaStores.scan(segments, "db", 1, Long.MAX_VALUE));
    }

    @Test
    void shouldPutBothTopicsIntoOneSubTopologySoOneTaskOwnsANamespace() {
        assertEquals(1, topology().describe().subtopologies().size(), topology().describe().toString());
    }

    private static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        MetaTopology.build(builder, TOPICS);
        return builder.build();
    }
}
