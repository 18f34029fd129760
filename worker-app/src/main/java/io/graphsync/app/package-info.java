/**
 * The Spring Boot application: wiring of activities and starters, worker registration (application.yml),
 * health indicators and the REST API.
 */
package io.graphsync.app;
