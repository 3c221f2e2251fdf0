/**
 * Test fixtures over real services: {@link dev.fathom.testkit.KafkaBroker} (Testcontainers when Docker answers, else
 * a local KRaft broker in this JVM or forked), {@link dev.fathom.testkit.S3Server} (S3Proxy on a temp directory),
 * {@link dev.fathom.testkit.Await} (bounded waiting instead of sleeps), {@link dev.fathom.testkit.ForkedJvm},
 * {@link dev.fathom.testkit.TestSegments} and {@link dev.fathom.testkit.SqlWorkload} (seeded random SQL on a real
 * SQLite database in WAL mode). Every fixture owns its temp directory and child processes and kills them
 * on close or at JVM exit.
 */
package dev.fathom.testkit;
