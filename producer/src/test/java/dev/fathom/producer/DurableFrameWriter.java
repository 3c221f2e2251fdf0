package dev.fathom.producer;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.FathomSerdes;
import dev.fathom.testkit.KafkaBroker;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes a namespace's durable frame number to the meta topic, as a worker does after an upload. Stateless. */
final class DurableFrameWriter {

    private DurableFrameWriter() {
    }

    static void write(KafkaBroker kafka, String metaTopic, String namespace, long durableFrameNo) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, DurableFrame> producer = new KafkaProducer<>(p, new StringSerializer(),
                FathomSerdes.durableFrame().serializer())) {
            DurableFrame frame = DurableFrame.newBuilder().setNamespace(namespace).setDurableFrameNo(durableFrameNo)
                    .setLastSegmentId(String.format("%020d-%020d-%013d", 1, durableFrameNo, 1L)).setLastStartFrameNo(1)
                    .setLastSealedAtMs(1L).setSizeAfter(1).setPageSize(4096).setProfile("default")
                    .setUpdatedAtMs(1L).build();
            producer.send(new ProducerRecord<>(metaTopic, namespace, frame)).get(60, TimeUnit.SECONDS);
        }
    }
}
