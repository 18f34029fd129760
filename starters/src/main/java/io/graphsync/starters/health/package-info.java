/** Starts the health-check workflow on demand. */
package io.graphsync.starters.health;
