/** The health-check activity: reaches PostgreSQL and Neo4j from the worker. */
package io.graphsync.activities.health;
