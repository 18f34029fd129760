/**
 * Health: the health-check workflow behind {@code POST /api/health-check} and Temporal's actuator health indicator.
 * The capture's indicator lives with the capture (package {@code sync}), whose state it reads.
 */
package io.graphsync.app.health;
