/**
 * The health check: a trivial workflow with one activity that proves, end to end, that a worker polls its task
 * queue, completes workflow and activity tasks, and reaches PostgreSQL and Neo4j.
 */
package io.graphsync.workflows.health;
