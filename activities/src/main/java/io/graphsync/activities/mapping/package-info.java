/**
 * The mapping from PostgreSQL tables to the graph: {@link io.graphsync.activities.mapping.MappingLoader} reads the
 * YAML file, {@link io.graphsync.activities.mapping.MappingValidator} checks it against the live PostgreSQL schema
 * and resolves it (every property column named, every conversion filled), and
 * {@link io.graphsync.activities.mapping.MappedColumns} tells which columns become which properties.
 */
package io.graphsync.activities.mapping;
