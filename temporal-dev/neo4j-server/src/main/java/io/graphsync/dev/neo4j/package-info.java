/**
 * Dev/test-only launcher for a real Neo4j 5 LTS server (community edition, embedded API)
 * exposing Bolt on 127.0.0.1 in its own JVM.
 *
 * <p>Started by local scripts and integration-test fixtures via
 * {@link io.graphsync.dev.neo4j.Neo4jServerMain}; it is never shipped with the application.
 * Protocol for callers: wait for the single stdout line {@code NEO4J READY bolt://127.0.0.1:PORT};
 * a line on stderr starting with {@code NEO4J FAILED:} plus a non-zero exit means startup failed.
 */
package io.graphsync.dev.neo4j;
