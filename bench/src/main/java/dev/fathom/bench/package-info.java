/** Performance harness: raw Kafka and S3 baselines and the Fathom figures, measured in one run (issue 6). */
package dev.fathom.bench;
