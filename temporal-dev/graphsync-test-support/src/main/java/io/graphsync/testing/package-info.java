/**
 * The graphsync-level test harness. {@code @ExtendWith(GraphsyncExtension.class)} injects, as parameters of test
 * methods, constructors and {@code @BeforeAll}/{@code @BeforeEach} methods: a migrated {@link javax.sql.DataSource}
 * and its {@link io.graphsync.testing.Sql}, the validated default mapping, a Neo4j driver with the mapping's
 * constraints, a {@link io.temporal.client.WorkflowClient} and {@link io.graphsync.testing.TestWorkers}; all on the
 * real servers of {@link io.graphsync.dev.DevStack}, started once per test JVM and shared by every test class.
 * {@link io.graphsync.testing.Await} waits for what the servers do ({@code until}) and checks that nothing happens
 * ({@code staysTrue}). {@link io.graphsync.testing.WireVectors} pins the wire form of a row's columns that the capture
 * and the re-read must both produce.
 */
package io.graphsync.testing;
