package dev.fathom.schemas.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * The two objects of a compacted segment, ready to upload: the {@code .seg} data and its {@code .idx} page index,
 * with whole-object CRC32Cs (recorded in {@code SegmentInfo.data_crc32c / index_crc32c}). Arrays are shared, not
 * copied; nobody may modify them. Thread-safe once built.
 *
 * @param data the compacted segment object (.seg)
 * @param index the page index object (.idx)
 * @param pageCount number of distinct pages kept
 * @param dataCrc32c CRC32C of all of {@code data}
 * @param indexCrc32c CRC32C of all of {@code index}
 */
public record CompactedSegmentObjects(byte[] data, byte[] index, int pageCount, int dataCrc32c, int indexCrc32c) {

    public CompactedSegmentObjects {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(index, "index");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompactedSegmentObjects other
                && pageCount == other.pageCount
                && dataCrc32c == other.dataCrc32c
                && indexCrc32c == other.indexCrc32c
                && Arrays.equals(data, other.data)
                && Arrays.equals(index, other.index);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pageCount, dataCrc32c, indexCrc32c);
    }

    @Override
    public String toString() {
        return "CompactedSegmentObjects[pages=" + pageCount + ", data=" + data.length + " bytes crc32c "
                + ObjectHeader.hex(dataCrc32c) + ", index=" + index.length + " bytes crc32c "
                + ObjectHeader.hex(indexCrc32c) + "]";
    }
}
