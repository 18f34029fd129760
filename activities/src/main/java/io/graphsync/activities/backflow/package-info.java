/**
 * The flow from Neo4j back to PostgreSQL for the mapping's declared cases: the poll of the graph (an indexed range read
 * of {@code neo4jModifiedAt} per case), the row write with the optimistic lock and the conflict policies, the stamp of
 * the element, and the stamp-only sync of the back-flow's own captured writes.
 */
package io.graphsync.activities.backflow;
