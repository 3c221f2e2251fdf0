package dev.fathom.worker.meta;

import dev.fathom.schemas.DurableFrame;
import dev.fathom.schemas.SegmentInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Answers meta queries about one namespace, from this instance's stores or from the owner's HTTP API, both as Avro
 * records (the Java API) and as JSON answers (the HTTP API). Namespaces are validated by the caller. Thread-safe.
 */
final class MetaQueries {

    /** A JSON answer and the worker whose stores produced it. */
    record Answer(int status, byte[] json, String servedBy) {
    }

    private final LocalMetaStores stores;
    private final NamespaceRouter router;
    private final MetaForwarder forwarder;
    private final String workerId;

    MetaQueries(LocalMetaStores stores, NamespaceRouter router, MetaForwarder forwarder, String workerId) {
        this.stores = stores;
        this.router = router;
        this.forwarder = forwarder;
        this.workerId = workerId;
    }

    Optional<DurableFrame> durableFrame(String namespace) {
        return router.route(namespace, true, partition -> stores.durableFrame(namespace, partition), owner -> {
            MetaForwarder.Reply reply = forwarder.get(owner, namespacePath(namespace));
            if (reply.status() == 404) {
                return Optional.empty();
            }
            MetaJson.NamespaceDoc doc = MetaJson.read(requireOk(reply, owner), MetaJson.NamespaceDoc.class,
                    NamespaceRouter.endpoint(owner.host()));
            return Optional.of(MetaJson.durableFrame(doc));
        });
    }

    List<SegmentInfo> segments(String namespace, long fromFrameNo, long toFrameNo) {
        return router.route(namespace, true,
                partition -> stores.segments(namespace, fromFrameNo, toFrameNo, partition), owner -> {
                    MetaForwarder.Reply reply = forwarder.get(owner, segmentsPath(namespace, fromFrameNo, toFrameNo));
                    MetaJson.SegmentsDoc doc = MetaJson.read(requireOk(reply, owner), MetaJson.SegmentsDoc.class,
                            NamespaceRouter.endpoint(owner.host()));
                    return doc.segments().stream().map(s -> MetaJson.segmentInfo(namespace, s)).toList();
                });
    }

    /** The answer to {@code GET /v1/namespaces/{ns}}; {@code mayForward} is false for a forwarded request. */
    Answer namespaceAnswer(String namespace, boolean mayForward) {
        return router.route(namespace, mayForward, partition -> {
            Optional<DurableFrame> durable = stores.durableFrame(namespace, partition);
            if (durable.isEmpty()) {
                return notFound(namespace);
            }
            Optional<SegmentInfo> last = stores.segment(namespace, durable.get().getDurableFrameNo(), partition);
            return ok(MetaJson.namespaceDoc(durable.get(), last));
        }, owner -> forwarded(forwarder.get(owner, namespacePath(namespace))));
    }

    /** The answer to {@code GET /v1/namespaces/{ns}/segments}; {@code mayForward} as above. */
    Answer segmentsAnswer(String namespace, long fromFrameNo, long toFrameNo, boolean mayForward) {
        return router.route(namespace, mayForward,
                partition -> ok(MetaJson.segmentsDoc(namespace,
                        stores.segments(namespace, fromFrameNo, toFrameNo, partition))),
                owner -> forwarded(forwarder.get(owner, segmentsPath(namespace, fromFrameNo, toFrameNo))));
    }

    static Answer error(int status, String message, String servedBy) {
        return new Answer(status, MetaJson.write(new MetaJson.ErrorDoc(message)), servedBy);
    }

    private Answer ok(Object doc) {
        return new Answer(200, MetaJson.write(doc), workerId);
    }

    private Answer notFound(String namespace) {
        return error(404, "namespace '" + namespace + "' has no durable frames yet", workerId);
    }

    private static Answer forwarded(MetaForwarder.Reply reply) {
        return new Answer(reply.status(), reply.body(), reply.servedBy());
    }

    private static byte[] requireOk(MetaForwarder.Reply reply, NamespaceOwner owner) {
        if (reply.status() != 200) {
            throw new IllegalStateException("Owner " + NamespaceRouter.endpoint(owner.host()) + " of partition "
                    + owner.partition() + " answered HTTP " + reply.status() + ": "
                    + new String(reply.body(), StandardCharsets.UTF_8));
        }
        return reply.body();
    }

    private static String namespacePath(String namespace) {
        return "/v1/namespaces/" + namespace;
    }

    private static String segmentsPath(String namespace, long fromFrameNo, long toFrameNo) {
        return namespacePath(namespace) + "/segments?from=" + fromFrameNo + "&to=" + toFrameNo;
    }
}
