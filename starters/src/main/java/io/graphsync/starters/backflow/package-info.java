/**
 * What starts the back-flow from Neo4j: the poller's start at worker start-up ({@link
 * io.graphsync.starters.backflow.BackflowPollerStarter}) and the per-change workflow starts the poller asks for
 * ({@link io.graphsync.starters.backflow.BackflowStartActivitiesImpl}).
 */
package io.graphsync.starters.backflow;
