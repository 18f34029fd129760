/**
 * The back-flow from Neo4j to PostgreSQL (the mapping's {@code backflow:} cases): its activities, the guard of the
 * PostgreSQL → Neo4j graph writer, and the poller started at start-up ({@code graphsync.backflow.*}).
 */
package io.graphsync.app.backflow;
