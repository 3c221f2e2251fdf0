/**
 * JMH microbenchmarks of the hot pure-CPU steps: compaction of a sealed segment into {@code .seg} + {@code .idx},
 * page index parsing and lookup, and the Avro serdes of the records on the segments and meta topics. Run with
 * {@code org.openjdk.jmh.Main} on the bench classpath (docs/PERFORMANCE.md); {@code MicroBenchmarksSmokeIT} runs each
 * once so they cannot rot.
 */
package dev.fathom.bench.micro;
