/**
 * Conflicts that wait for a person: {@link io.graphsync.starters.resolve.EscalationActivitiesImpl} hands a conflict to
 * the entity's {@code ManualResolutionWorkflow} (signal-with-start), and
 * {@link io.graphsync.starters.resolve.ConflictClient} lists, shows and approves open conflicts for the REST API.
 */
package io.graphsync.starters.resolve;
