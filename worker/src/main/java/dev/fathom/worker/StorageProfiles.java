package dev.fathom.worker;

import dev.fathom.producer.storage.S3Clients;
import dev.fathom.producer.storage.StorageProfile;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The worker's storage profiles by name, each with one S3 client built once by {@link S3Clients} (SDK standard retry
 * strategy: request retries with jitter live in the SDK, never in the worker) and its {@link SegmentUploader}.
 * Thread-safe after construction; {@link Worker} owns it and closes it, which closes the clients.
 */
final class StorageProfiles implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StorageProfiles.class);

    private final Map<String, SegmentUploader> uploaders;
    private final List<S3Client> clients;
    private final Map<String, NamespaceAllowList> allowed;

    private StorageProfiles(Map<String, SegmentUploader> uploaders, List<S3Client> clients,
                            Map<String, NamespaceAllowList> allowed) {
        this.uploaders = uploaders;
        this.clients = clients;
        this.allowed = allowed;
    }

    /** Builds one client per profile; a profile missing from {@code allowed} admits every namespace. */
    static StorageProfiles create(List<StorageProfile> profiles, Map<String, NamespaceAllowList> allowed) {
        Map<String, SegmentUploader> uploaders = new LinkedHashMap<>();
        List<S3Client> clients = new ArrayList<>();
        for (StorageProfile profile : profiles) {
            S3Client client = S3Clients.create(profile);
            clients.add(client);
            uploaders.put(profile.name(), new SegmentUploader(profile, client));
            log.info("Storage profile {} writes to bucket {} (prefix '{}', endpoint {}, {} credentials)",
                    profile.name(), profile.bucket(), profile.prefix(),
                    profile.endpointOverride().map(URI::toString).orElse("AWS"),
                    profile.usesDefaultCredentials() ? "default provider chain" : "static");
        }
        // Declaration order is kept: readiness checks and logs list profiles as the operator wrote them.
        allowed.values().stream().filter(list -> !list.allowsAll()).forEach(list -> log.info(
                "Storage profile {} accepts only namespaces matching {}", list.profile(), list.globs()));
        return new StorageProfiles(Collections.unmodifiableMap(uploaders), List.copyOf(clients), Map.copyOf(allowed));
    }

    /** Returns the uploader of profile {@code name}, or empty when this worker has no such profile. */
    Optional<SegmentUploader> uploader(String name) {
        return Optional.ofNullable(uploaders.get(name));
    }

    /** Returns the allow-list of profile {@code name}, when it restricts namespaces. */
    Optional<NamespaceAllowList> restriction(String name) {
        return Optional.ofNullable(allowed.get(name)).filter(list -> !list.allowsAll());
    }

    /** Returns the configured profile names. */
    Set<String> names() {
        return uploaders.keySet();
    }

    @Override
    public void close() {
        clients.forEach(S3Client::close);
    }
}
