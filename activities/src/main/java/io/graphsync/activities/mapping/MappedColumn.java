package io.graphsync.activities.mapping;

import io.graphsync.workflows.mapping.Conversion;

/**
 * One column that becomes a property.
 *
 * @param column the PostgreSQL column
 * @param property the property name (the column name unless renamed)
 * @param conversion how its value is converted; null only in an unresolved mapping
 */
public record MappedColumn(String column, String property, Conversion conversion) {}
