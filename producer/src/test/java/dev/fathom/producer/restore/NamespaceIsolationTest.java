package dev.fathom.producer.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.schemas.InvalidNamespaceException;
import dev.fathom.schemas.format.ObjectKeys;
import dev.fathom.schemas.format.SegmentId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Namespace isolation on the read side: a hostile namespace never turns into an S3 request, and a catalog answer
 * naming objects of another namespace is refused, whatever entry point (restore, readPage, listSegments, findSegment,
 * fetchSegmentIndex, fetchSegmentData) is used. The profile points at a closed port, so any request that did go out
 * would fail with a connection error instead of the expected message.
 */
class NamespaceIsolationTest {

    private static final String PREFIX = "tenants/eu";
    private static final SegmentId ID = new SegmentId(1, 10, 1_767_225_600_000L);

    @TempDir
    Path tmp;

    static Stream<String> hostileNamespaces() {
        return Stream.of("../x", "..", ".", "", "a/b", "/abs", "a\\b", "x\u0000y", "caf\u00e9", "\u202eevil", "a b",
                "a".repeat(129), "a".repeat(300), "%2e%2e", "ns/../other", "ns\n", "*");
    }

    private static FathomReader reader() {
        StorageProfile profile = new StorageProfile("default", "fathom", PREFIX, URI.create("http://127.0.0.1:1"),
                "us-east-1", true, "access", new Password("secret"));
        return new FathomReader(List.of(profile), new ReadSettings(List.of(), Duration.ofSeconds(1), 1, 0));
    }

    @ParameterizedTest
    @MethodSource("hostileNamespaces")
    void shouldRefuseAHostileNamespaceAtEveryReadEntryPointBeforeAnyRequest(String namespace) {
        try (FathomReader reader = reader()) {
            StoredSegment own = new StoredSegment(ID, "k.seg", "k.idx", 1);
            List<Executable> reads = List.of(
                    () -> reader.restore(tmp.resolve("db"), namespace, RestoreTarget.latest(), "default"),
                    () -> reader.readPage(namespace, 1, 10, "default"),
                    () -> reader.listSegments(namespace, RestoreTarget.latest(), "default").toList(),
                    () -> reader.findSegment(namespace, RestoreTarget.latest(), "default"),
                    () -> reader.segments(namespace, "default"),
                    () -> reader.fetchSegmentIndex(namespace, own, "default"),
                    () -> reader.fetchSegmentData(namespace, own, "default"));
            for (Executable read : reads) {
                InvalidNamespaceException e = assertThrows(InvalidNamespaceException.class, read::execute);
                assertTrue(e.getMessage().startsWith("Invalid namespace"), e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("hostileNamespaces")
    void shouldNeverDeriveAnObjectKeyFromAHostileNamespace(String namespace) {
        assertThrows(InvalidNamespaceException.class, () -> ObjectKeys.dataKey(PREFIX, namespace, ID));
        assertThrows(InvalidNamespaceException.class, () -> ObjectKeys.segmentsPrefix(PREFIX, namespace));
    }

    @Test
    void shouldKeepEveryValidNamespaceInsideItsOwnDirectory() {
        Pattern own = Pattern.compile(Pattern.quote(PREFIX) + "/[A-Za-z0-9._-]{1,128}/segments/[0-9-]+\\.(seg|idx)");
        for (String namespace : List.of("a", "...", "a..b", ".hidden", "-", "_", "x".repeat(128), "segments")) {
            String key = ObjectKeys.dataKey(PREFIX, namespace, ID);
            assertTrue(own.matcher(key).matches(), key);
            assertTrue(key.startsWith(PREFIX + "/" + namespace + "/segments/"), key);
            assertTrue(Stream.of(key.split("/")).noneMatch(part -> part.equals("..") || part.equals(".")), key);
        }
    }

    @Test
    void shouldRefuseACatalogAnswerNamingAnotherNamespacesObjects() {
        String foreign = ObjectKeys.dataKey(PREFIX, "other", ID);
        SegmentCatalog lying = namespace -> List.of(new StoredSegment(ID, foreign,
                ObjectKeys.indexKey(PREFIX, "other", ID), 1));
        SegmentCatalog scoped = new NamespaceScopedCatalog(lying, PREFIX);

        RestoreException e = assertThrows(RestoreException.class, () -> scoped.segments("mine"));
        assertTrue(e.getMessage().contains(foreign), e.getMessage());
        assertTrue(e.getMessage().contains("namespace 'mine'"), e.getMessage());
        assertThrows(RestoreException.class, () -> scoped.segmentsStartingAfter("mine", 0));
    }

    @Test
    void shouldRefuseTraversalKeysAndAcceptTheNamespacesOwnKeys() {
        SegmentCatalog traversal = namespace -> List.of(new StoredSegment(ID,
                PREFIX + "/mine/segments/../../other/segments/" + ID.format() + ".seg",
                PREFIX + "/mine/segments/" + ID.format() + ".idx", 1));
        assertThrows(RestoreException.class, () -> new NamespaceScopedCatalog(traversal, PREFIX).segments("mine"));

        StoredSegment own = new StoredSegment(ID, ObjectKeys.dataKey(PREFIX, "mine", ID),
                ObjectKeys.indexKey(PREFIX, "mine", ID), 1);
        assertEquals(List.of(own), new NamespaceScopedCatalog(namespace -> List.of(own), PREFIX).segments("mine"));
    }

    @Test
    void shouldRefuseToFetchAnotherNamespacesSegmentThroughTheReader() {
        StoredSegment foreign = new StoredSegment(ID, ObjectKeys.dataKey(PREFIX, "other", ID),
                ObjectKeys.indexKey(PREFIX, "other", ID), 1);
        try (FathomReader reader = reader()) {
            RestoreException index = assertThrows(RestoreException.class,
                    () -> reader.fetchSegmentIndex("mine", foreign, "default"));
            assertTrue(index.getMessage().contains(foreign.indexKey()), index.getMessage());
            assertThrows(RestoreException.class, () -> reader.fetchSegmentData("mine", foreign, "default"));
        }
    }

    /** A read that may throw. */
    private interface Executable {
        void execute() throws Exception;
    }
}
