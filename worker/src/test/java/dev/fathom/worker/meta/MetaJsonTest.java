package dev.fathom.worker.meta;

import static dev.fathom.worker.meta.MetaFixtures.durable;
import static dev.fathom.worker.meta.MetaFixtures.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.SegmentInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetaJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void shouldRenderTheNamespaceDocumentWithTheContractsFieldNames() throws IOException {
        DurableFrame durable = durable("db", 11, 30);
        JsonNode json = MAPPER.readTree(MetaJson.write(MetaJson.namespaceDoc(durable, Optional.empty())));

        assertEquals(List.of("namespace", "durableFrameNo", "lastSegment", "sizeAfter", "pageSize", "profile",
                "updatedAt", "updatedAtMs"), fieldNames(json));
        assertEquals(30, json.get("durableFrameNo").asLong());
        assertEquals("2025-11-24T16:00:30.500Z", json.get("updatedAt").asText());
        assertEquals(List.of("segmentId", "startFrameNo", "endFrameNo", "sealedAt", "sealedAtMs"),
                fieldNames(json.get("lastSegment")));
    }

    @Test
    void shouldRenderEverySegmentField() throws IOException {
        JsonNode json = MAPPER.readTree(MetaJson.write(MetaJson.segmentsDoc("db", List.of(segment("db", 1, 9)))));

        JsonNode first = json.get("segments").get(0);
        assertEquals(List.of("segmentId", "startFrameNo", "endFrameNo", "sealedAt", "sealedAtMs", "sizeAfter",
                "pageSize", "pageCount", "dataKey", "indexKey", "dataSize", "indexSize", "profile", "dataCrc32c",
                "indexCrc32c", "committedAt", "committedAtMs"), fieldNames(first));
        assertEquals("2025-11-24T16:00:09Z", first.get("sealedAt").asText());
        assertFalse(first.get("dataKey").asText().isEmpty());
    }

    @Test
    void shouldParseForwardedAnswersBackIntoTheSameRecords() {
        DurableFrame durable = durable("db", 11, 30);
        SegmentInfo last = segment("db", 11, 30);
        byte[] namespaceJson = MetaJson.write(MetaJson.namespaceDoc(durable, Optional.of(last)));
        byte[] segmentsJson = MetaJson.write(MetaJson.segmentsDoc("db", List.of(segment("db", 1, 10), last)));

        assertEquals(durable, MetaJson.durableFrame(MetaJson.read(namespaceJson, MetaJson.NamespaceDoc.class, "t")));
        assertEquals(List.of(segment("db", 1, 10), last),
                MetaJson.read(segmentsJson, MetaJson.SegmentsDoc.class, "test").segments().stream()
                        .map(s -> MetaJson.segmentInfo("db", s)).toList());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
