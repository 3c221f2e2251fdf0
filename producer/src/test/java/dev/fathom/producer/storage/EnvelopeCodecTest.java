package dev.fathom.producer.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.schemas.format.CorruptSegmentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32C;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The AES-256-GCM object envelope (docs/FORMATS.md section 10): round trips, determinism, ranges and refusals. */
class EnvelopeCodecTest {

    static final String KEY_1 = base64Key(1);
    static final String KEY_2 = base64Key(2);
    private static final String OBJECT = "db/ns/segments/00000000000000000001-00000000000000000009-1764000000000.seg";
    private static final String WHERE = "s3://bucket/" + OBJECT;
    private static final int BLOCK = EnvelopeHeader.BLOCK_SIZE;

    private final ObjectCodec codec = new EnvelopeCodec(EnvelopeKey.parse("k1", KEY_1, "test key"));

    static String base64Key(int seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static byte[] plaintext(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void shouldRoundTripEverySizeAroundBlockBoundaries() throws IOException {
        for (int size : new int[] {0, 1, 68, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 5}) {
            byte[] plain = plaintext(size);
            byte[] stored = codec.encode(OBJECT, plain);
            long blocks = (size + BLOCK - 1) / BLOCK;
            assertEquals(64 + size + 28 * blocks, stored.length, "stored size of " + size);
            assertEquals(size, codec.plaintextSize(stored.length), "plaintext size from the stored size");
            assertArrayEquals(plain, codec.decode(OBJECT, stored, WHERE), "decode of " + size);
            try (InputStream in = codec.decoding(OBJECT, new ByteArrayInputStream(stored), WHERE)) {
                assertArrayEquals(plain, in.readAllBytes(), "streamed decode of " + size);
            }
        }
    }

    @Test
    void shouldWriteIdenticalBytesForARetryAndDifferentBytesForAnotherKeyOrObject() {
        byte[] plain = plaintext(2 * BLOCK + 100);
        byte[] stored = codec.encode(OBJECT, plain);
        assertArrayEquals(stored, codec.encode(OBJECT, plain), "a retried upload writes identical bytes");
        assertFalse(Arrays.equals(stored, codec.encode(OBJECT.replace(".seg", ".idx"), plain)));
        ObjectCodec other = new EnvelopeCodec(EnvelopeKey.parse("k1", KEY_2, "other"));
        assertFalse(Arrays.equals(stored, other.encode(OBJECT, plain)));
    }

    @Test
    void shouldNotStoreAnyPlaintextRun() {
        byte[] plain = new byte[3 * BLOCK];
        Arrays.fill(plain, (byte) 'A'); // highly repetitive input: any ECB-like leak would show equal blocks
        byte[] stored = codec.encode(OBJECT, plain);
        byte[] run = new byte[16];
        Arrays.fill(run, (byte) 'A');
        assertEquals(-1, indexOf(stored, run), "no 16-byte run of the plaintext in the stored bytes");
        byte[] block0 = Arrays.copyOfRange(stored, 64 + 12, 64 + 12 + 64);
        byte[] block1 = Arrays.copyOfRange(stored, 64 + BLOCK + 28 + 12, 64 + BLOCK + 28 + 12 + 64);
        assertFalse(Arrays.equals(block0, block1), "equal plaintext blocks encrypt differently");
    }

    @Test
    void shouldRefuseEveryFlippedByteNamingTheObject() throws IOException {
        byte[] plain = plaintext(BLOCK + 300);
        byte[] stored = codec.encode(OBJECT, plain);
        for (int at : new int[] {0, 9, 20, 30, 56, 61, 64, 70, 64 + 12 + 5, 64 + 12 + BLOCK + 3, 64 + BLOCK + 28 + 20,
                stored.length - 1}) {
            byte[] corrupt = stored.clone();
            corrupt[at] ^= 0x01;
            CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                    () -> codec.decode(OBJECT, corrupt, WHERE), "flip at " + at);
            assertTrue(e.getMessage().startsWith(WHERE), e.getMessage());
            assertThrows(CorruptSegmentException.class, () -> {
                try (InputStream in = codec.decoding(OBJECT, new ByteArrayInputStream(corrupt), WHERE)) {
                    in.readAllBytes();
                }
            }, "streamed, flip at " + at);
        }
    }

    @Test
    void shouldRefuseBytesCopiedToAnotherObjectOrReorderedOrCut() {
        byte[] plain = plaintext(2 * BLOCK);
        byte[] stored = codec.encode(OBJECT, plain);
        CorruptSegmentException moved = assertThrows(CorruptSegmentException.class,
                () -> codec.decode(OBJECT.replace("-1764", "-1765"), stored, WHERE));
        assertTrue(moved.getMessage().contains("fails authentication"), moved.getMessage());

        byte[] swapped = stored.clone();
        int size = BLOCK + 28;
        System.arraycopy(stored, 64, swapped, 64 + size, size);
        System.arraycopy(stored, 64 + size, swapped, 64, size);
        assertThrows(CorruptSegmentException.class, () -> codec.decode(OBJECT, swapped, WHERE), "blocks swapped");

        byte[] cut = Arrays.copyOf(stored, 64 + size);
        CorruptSegmentException truncated = assertThrows(CorruptSegmentException.class,
                () -> codec.decode(OBJECT, cut, WHERE));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        assertThrows(CorruptSegmentException.class, () -> {
            try (InputStream in = codec.decoding(OBJECT, new ByteArrayInputStream(cut), WHERE)) {
                in.readAllBytes();
            }
        });
        byte[] longer = Arrays.copyOf(stored, stored.length + 1);
        assertThrows(CorruptSegmentException.class, () -> codec.decode(OBJECT, longer, WHERE));
        assertThrows(CorruptSegmentException.class, () -> {
            try (InputStream in = codec.decoding(OBJECT, new ByteArrayInputStream(longer), WHERE)) {
                in.readAllBytes();
            }
        });
    }

    @Test
    void shouldNameBothKeysWhenTheKeyIsWrongAndTheMissingSettingWhenThereIsNone() {
        byte[] stored = codec.encode(OBJECT, plaintext(1000));
        ObjectCodec wrong = new EnvelopeCodec(EnvelopeKey.parse("k2", KEY_2, "other"));
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class,
                () -> wrong.decode(OBJECT, stored, WHERE));
        assertTrue(e.getMessage().startsWith(WHERE) && e.getMessage().contains("wrong encryption key")
                && e.getMessage().contains("'k1'") && e.getMessage().contains("'k2'"), e.getMessage());
        ObjectCodec sameIdOtherKey = new EnvelopeCodec(EnvelopeKey.parse("k1", KEY_2, "other"));
        assertThrows(CorruptSegmentException.class, () -> sameIdOtherKey.decode(OBJECT, stored, WHERE));

        CorruptSegmentException none = assertThrows(CorruptSegmentException.class,
                () -> ObjectCodec.plaintext().decode(OBJECT, stored, WHERE));
        assertTrue(none.getMessage().contains("encryption.key"), none.getMessage());
        assertThrows(CorruptSegmentException.class, () -> ObjectCodec.plaintext()
                .decoding(OBJECT, new ByteArrayInputStream(stored), WHERE).readAllBytes());
        CorruptSegmentException plainRead = assertThrows(CorruptSegmentException.class,
                () -> codec.decode(OBJECT, plaintext(1000), WHERE));
        assertTrue(plainRead.getMessage().contains("not encrypted"), plainRead.getMessage());
    }

    @Test
    void shouldReadAnyRangeFromTheBlocksHoldingIt() {
        int size = 4 * BLOCK + 777;
        byte[] plain = plaintext(size);
        byte[] stored = codec.encode(OBJECT, plain);
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            int length = 1 + random.nextInt(i % 2 == 0 ? 4096 : 65536);
            int offset = random.nextInt(size - length + 1);
            ObjectCodec.StoredRange range = codec.storedRange(offset, length, size);
            byte[] fetched = Arrays.copyOfRange(stored, (int) range.first(), (int) range.last() + 1);
            assertArrayEquals(Arrays.copyOfRange(plain, offset, offset + length),
                    codec.decodeRange(OBJECT, fetched, offset, length, size, WHERE), offset + "+" + length);
        }
        ObjectCodec.StoredRange range = codec.storedRange(68, 4096, size);
        assertEquals(64, range.first(), "a page in block 0 reads block 0 only");
        assertEquals(64 + BLOCK + 28 - 1, range.last());
        byte[] fetched = Arrays.copyOfRange(stored, 64, 64 + BLOCK + 28);
        fetched[100] ^= 1;
        assertThrows(CorruptSegmentException.class, () -> codec.decodeRange(OBJECT, fetched, 68, 4096, size, WHERE));
        ObjectCodec wrong = new EnvelopeCodec(EnvelopeKey.parse("k1", KEY_2, "other"));
        byte[] intact = Arrays.copyOfRange(stored, 64, 64 + BLOCK + 28);
        assertThrows(CorruptSegmentException.class, () -> wrong.decodeRange(OBJECT, intact, 68, 4096, size, WHERE));
    }

    @Test
    void shouldRefuseKeysThatAreNotBase64Of32BytesWithoutQuotingThem() {
        String secret = "not-a-key-but-a-secret!";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnvelopeKey.parse("k1", secret, "storage.profile.default.encryption.key"));
        assertTrue(e.getMessage().contains("storage.profile.default.encryption.key"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EnvelopeKey.parse("k1", shortKey, "k"))
                .getMessage().contains("got 16 bytes"));
        assertThrows(IllegalArgumentException.class, () -> EnvelopeKey.parse("a/b", KEY_1, "k"));
        assertThrows(IllegalArgumentException.class, () -> EnvelopeKey.parse("x".repeat(33), KEY_1, "k"));
        EnvelopeKey key = EnvelopeKey.parse("k1", KEY_1, "k");
        assertFalse(key.toString().contains(KEY_1.substring(0, 8)), key.toString());
    }

    /** docs/FORMATS.md section 10 re-implemented with plain JCA calls must give the codec's bytes exactly. */
    @Test
    void shouldMatchTheDocumentedConstruction() throws Exception {
        byte[] master = Base64.getDecoder().decode(KEY_1);
        byte[] plain = plaintext(BLOCK + 10);
        byte[] stored = codec.encode(OBJECT, plain);

        byte[] kEnc = hkdfExpand(master, "fathom envelope v1 aes-256-gcm");
        byte[] kNonce = hkdfExpand(master, "fathom envelope v1 nonce");
        byte[] check = Arrays.copyOf(hkdfExpand(master, "fathom envelope v1 key check"), 4);
        ByteBuffer header = ByteBuffer.allocate(64);
        header.put("FTHMENC\u0001".getBytes(StandardCharsets.ISO_8859_1)).putShort((short) 1)
                .putShort((short) 0).putInt(16384).putLong(plain.length)
                .put(Arrays.copyOf("k1".getBytes(StandardCharsets.US_ASCII), 32)).put(check);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 60);
        header.putInt((int) crc.getValue());
        assertArrayEquals(header.array(), Arrays.copyOf(stored, 64), "header");

        byte[] key = OBJECT.getBytes(StandardCharsets.UTF_8);
        int at = 64;
        for (int i = 0; i < 2; i++) {
            int length = Math.min(BLOCK, plain.length - i * BLOCK);
            byte[] aad = ByteBuffer.allocate(60 + 2 + key.length + 8).put(header.array(), 0, 60)
                    .putShort((short) key.length).put(key).putLong(i).array();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(kNonce, "HmacSHA256"));
            mac.update(aad);
            mac.update(plain, i * BLOCK, length);
            byte[] nonce = Arrays.copyOf(mac.doFinal(), 12);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kEnc, "AES"),
                    new GCMParameterSpec(128, nonce));
            gcm.updateAAD(aad);
            byte[] sealed = gcm.doFinal(plain, i * BLOCK, length);
            assertArrayEquals(nonce, Arrays.copyOfRange(stored, at, at + 12), "nonce of block " + i);
            assertArrayEquals(sealed, Arrays.copyOfRange(stored, at + 12, at + 12 + length + 16), "block " + i);
            at += 12 + length + 16;
        }
        assertEquals(stored.length, at);
    }

    private static byte[] hkdfExpand(byte[] master, String info) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(master, "HmacSHA256"));
        mac.update(info.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) 1);
        return mac.doFinal();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
