/**
 * The declarative mapping from PostgreSQL tables to the graph (labels, properties, relationships), as plain
 * records. It is loaded from YAML and validated against the live schema by worker-app, and shared by the capture
 * (which tables, which key) and the graph writer (which labels, properties and relationships).
 */
package io.graphsync.workflows.mapping;
