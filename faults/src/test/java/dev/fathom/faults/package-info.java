/**
 * The fault suite: real forked workers, a 3-node KRaft cluster and S3Proxy under a steady multi-namespace load while
 * workers are killed -9, a broker dies and returns, S3 goes away and workers join and leave in storms. It checks the
 * invariants of docs/INVARIANTS.md from the outside: nothing stored is lost, durable frames never decrease, every
 * segment lives under one key, and every namespace restores to exactly what was stored.
 */
package dev.fathom.faults;
