package dev.fathom.producer.storage;

import dev.fathom.schemas.format.CorruptSegmentException;
import java.io.IOException;
import java.io.InputStream;
import javax.crypto.Cipher;

/**
 * The plaintext of an encrypted object read from a stream, one block at a time: the header is checked first (key id
 * and check), then each block's tag before any of its bytes are returned, and the stream must end exactly after the
 * last block the header announces. Corruption surfaces as {@link CorruptSegmentException} naming the object and the
 * stored offset. Not thread-safe; one reader per stream.
 */
final class DecryptingInputStream extends InputStream {

    private final EnvelopeCodec codec;
    private final String objectKey;
    private final InputStream in;
    private final String where;
    private final Cipher cipher;
    private final byte[] sealed = new byte[EnvelopeHeader.BLOCK_SIZE + EnvelopeHeader.BLOCK_OVERHEAD];
    private final byte[] block = new byte[EnvelopeHeader.BLOCK_SIZE];
    private EnvelopeHeader header;
    private byte[] headerBytes;
    private long nextBlock;
    private int blockLength;
    private int position;

    DecryptingInputStream(EnvelopeCodec codec, String objectKey, InputStream in, String where) {
        this.codec = codec;
        this.objectKey = objectKey;
        this.in = in;
        this.where = where;
        this.cipher = codec.cipher();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == blockLength && !nextBlock()) {
            return -1;
        }
        int n = Math.min(len, blockLength - position);
        System.arraycopy(block, position, b, off, n);
        position += n;
        return n;
    }

    private boolean nextBlock() throws IOException {
        if (header == null) {
            byte[] start = in.readNBytes(EnvelopeHeader.SIZE);
            header = codec.checkedHeader(start, where);
            headerBytes = header.bytes();
        }
        if (nextBlock == header.blocks()) {
            if (in.read() >= 0) {
                throw new CorruptSegmentException(where, header.storedSize(), "unexpected trailing bytes after the "
                        + header.blocks() + " encrypted blocks the header announces");
            }
            return false;
        }
        int length = header.blockLength(nextBlock);
        int stored = length + EnvelopeHeader.BLOCK_OVERHEAD;
        int got = in.readNBytes(sealed, 0, stored);
        long at = EnvelopeHeader.blockOffset(nextBlock);
        if (got != stored) {
            throw new CorruptSegmentException(where, at + got, "truncated: encrypted block " + nextBlock + " has "
                    + got + " of " + stored + " bytes (the header announces " + header.storedSize() + " bytes)");
        }
        codec.openBlock(cipher, headerBytes, objectKey, nextBlock, sealed, 0, length, block, 0, where, at);
        nextBlock++;
        blockLength = length;
        position = 0;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
