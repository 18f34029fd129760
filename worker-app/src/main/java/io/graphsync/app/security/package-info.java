/**
 * Who may call worker-app: users and roles from {@code graphsync.security.*}, HTTP Basic for the REST API and
 * actuator, a session (form login) for the codec server the Temporal Web UI calls, and the start-up check that
 * refuses weak passwords on a non-loopback address.
 */
package io.graphsync.app.security;
