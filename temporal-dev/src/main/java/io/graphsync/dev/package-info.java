/**
 * The local stack: real Temporal dev server, PostgreSQL (logical replication) and Neo4j processes, started on
 * loopback ports. {@link io.graphsync.dev.StackCli} runs them for people ({@code up}, {@code down},
 * {@code status}); {@link io.graphsync.dev.DevStack} and the JUnit 5 extensions run the same servers for tests,
 * on free ports with throw-away state. Plain JDK code.
 */
package io.graphsync.dev;
