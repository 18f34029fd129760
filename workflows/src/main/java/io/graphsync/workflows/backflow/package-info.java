/**
 * The flow from Neo4j back to PostgreSQL, for the declared cases of the mapping only ({@code backflow:}): a poller
 * ({@link io.graphsync.workflows.backflow.Neo4jChangePollerWorkflow}) finds graph changes since its durable watermark
 * and starts one {@link io.graphsync.workflows.backflow.Neo4jToPostgresSyncWorkflow} per change on the task queue
 * {@code sync-neo4j}; the row it writes is captured like any other and only stamps the graph (no loop).
 */
package io.graphsync.workflows.backflow;
