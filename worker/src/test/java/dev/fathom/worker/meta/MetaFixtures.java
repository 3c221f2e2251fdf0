package dev.fathom.worker.meta;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.SegmentInfo;

/** Builds meta and catalog records for tests, with every field derived from the namespace and frame range. */
final class MetaFixtures {

    static final int PAGE_SIZE = 4096;

    private MetaFixtures() {
    }

    static DurableFrame durable(String namespace, long startFrameNo, long durableFrameNo) {
        return DurableFrame.newBuilder()
                .setNamespace(namespace)
                .setDurableFrameNo(durableFrameNo)
                .setLastSegmentId(segmentId(startFrameNo, durableFrameNo))
                .setLastStartFrameNo(startFrameNo)
                .setLastSealedAtMs(sealedAtMs(durableFrameNo))
                .setSizeAfter((int) (10 + durableFrameNo))
                .setPageSize(PAGE_SIZE)
                .setProfile("default")
                .setUpdatedAtMs(sealedAtMs(durableFrameNo) + 500)
                .build();
    }

    static SegmentInfo segment(String namespace, long startFrameNo, long endFrameNo) {
        String id = segmentId(startFrameNo, endFrameNo);
        return SegmentInfo.newBuilder()
                .setNamespace(namespace)
                .setSegmentId(id)
                .setProfile("default")
                .setDataKey("fathom/" + namespace + "/segments/" + id + ".seg")
                .setIndexKey("fathom/" + namespace + "/segments/" + id + ".idx")
                .setStartFrameNo(startFrameNo)
                .setEndFrameNo(endFrameNo)
                .setSealedAtMs(sealedAtMs(endFrameNo))
                .setSizeAfter((int) (10 + endFrameNo))
                .setPageSize(PAGE_SIZE)
                .setPageCount((int) (endFrameNo - startFrameNo + 1))
                .setDataSize(PAGE_SIZE * (endFrameNo - startFrameNo + 1) + 64)
                .setIndexSize(32 * (endFrameNo - startFrameNo + 1) + 32)
                .setDataCrc32c((int) (0x9E3779B9L * endFrameNo))
                .setIndexCrc32c((int) (0x85EBCA6BL * endFrameNo))
                .setCommittedAtMs(sealedAtMs(endFrameNo) + 500)
                .build();
    }

    static String segmentId(long startFrameNo, long endFrameNo) {
        return String.format("%020d-%020d-%013d", startFrameNo, endFrameNo, sealedAtMs(endFrameNo));
    }

    static long sealedAtMs(long endFrameNo) {
        return 1_764_000_000_000L + endFrameNo * 1000;
    }
}
