package dev.fathom.worker.meta;

import org.apache.kafka.streams.state.HostInfo;

/**
 * Where the stores of a namespace are served right now: the active host of its partition.
 *
 * @param host      the owner's {@code application.server}
 * @param partition the namespace's partition (same number in meta and catalog)
 * @param local     whether the owner is this instance
 */
record NamespaceOwner(HostInfo host, int partition, boolean local) {
}
