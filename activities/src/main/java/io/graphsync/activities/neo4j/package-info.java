/**
 * Graph writes in two steps: {@link io.graphsync.activities.neo4j.MutationPlanner} turns a change event into a
 * typed {@link io.graphsync.activities.neo4j.GraphMutation}, {@link io.graphsync.activities.neo4j.CypherStatements}
 * turns that into one parameterized Cypher statement, and
 * {@link io.graphsync.activities.neo4j.GraphWriteActivitiesImpl} runs it in one Neo4j write transaction.
 *
 * <p>Every write is guarded by the order key: a node or join relationship keeps the {@code syncPosition} of the last
 * change applied to it, a delete leaves a {@code (:GraphsyncTombstone {key, position, deletedAt})}, and a change
 * applies only when its position is greater than both. The statements first {@code MERGE} and write-lock the
 * node(s) they touch, so concurrent changes of one entity serialise on that lock (the uniqueness constraints of
 * {@link io.graphsync.activities.neo4j.GraphSchemaInitializer} make the {@code MERGE} itself safe); a node the
 * statement created only to lock it is removed again when the change turns out to be stale.
 */
package io.graphsync.activities.neo4j;
