package dev.fathom.producer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** The encryption keys of a storage profile: parsing, validation and the SSE headers they put on a PUT. */
class StorageProfileEncryptionTest {

    private static StorageProfile profile(Map<String, Object> settings) {
        ConfigDef def = new ConfigDef();
        StorageProfile.define(def, "p");
        Map<String, Object> props = new HashMap<>(Map.of("storage.profile.p.bucket", "b"));
        props.putAll(settings);
        Map<String, Object> values = def.parse(props);
        return StorageProfile.read(values::get, "p");
    }

    @Test
    void shouldStoreAsIsWithoutEncryptionSettings() {
        StorageProfile p = profile(Map.of());
        assertEquals(ServerSideEncryption.NONE, p.sse());
        assertNull(p.encryptionKey());
        assertFalse(p.codec().encrypts());
        PutObjectRequest put = p.sse().applyTo(PutObjectRequest.builder().bucket("b").key("k")).build();
        assertNull(put.serverSideEncryption());
    }

    @Test
    void shouldSetServerSideEncryptionHeaders() {
        PutObjectRequest s3 = profile(Map.of("storage.profile.p.sse", "aes256")).sse()
                .applyTo(PutObjectRequest.builder()).build();
        assertEquals("AES256", s3.serverSideEncryptionAsString());
        PutObjectRequest kms = profile(Map.of("storage.profile.p.sse", "aws:kms",
                "storage.profile.p.sse.kms.key.id", "alias/fathom")).sse().applyTo(PutObjectRequest.builder()).build();
        assertEquals("aws:kms", kms.serverSideEncryptionAsString());
        assertEquals("alias/fathom", kms.ssekmsKeyId());
        assertThrows(ConfigException.class, () -> profile(Map.of("storage.profile.p.sse", "AES-256")));
        ConfigException keyWithoutKms = assertThrows(ConfigException.class, () -> profile(Map.of(
                "storage.profile.p.sse", "aes256", "storage.profile.p.sse.kms.key.id", "alias/x")));
        assertTrue(keyWithoutKms.getMessage().contains("storage.profile.p.sse.kms.key.id"));
    }

    @Test
    void shouldEncryptWithTheConfiguredKeyAndRefuseABadOneWithoutShowingIt() {
        StorageProfile p = profile(Map.of("storage.profile.p.encryption.key", EnvelopeCodecTest.KEY_1,
                "storage.profile.p.encryption.key.id", "2026-11"));
        assertTrue(p.codec().encrypts());
        assertEquals("2026-11", p.encryptionKey().id());
        assertFalse(p.toString().contains(EnvelopeCodecTest.KEY_1), p.toString());
        String bad = "c2hvcnQ=";
        ConfigException e = assertThrows(ConfigException.class,
                () -> profile(Map.of("storage.profile.p.encryption.key", bad)));
        assertTrue(e.getMessage().contains("storage.profile.p.encryption.key"), e.getMessage());
        assertFalse(e.getMessage().contains(bad), e.getMessage());
        assertThrows(ConfigException.class, () -> profile(Map.of("storage.profile.p.encryption.key",
                EnvelopeCodecTest.KEY_1, "storage.profile.p.encryption.key.id", "no spaces")));
    }
}
