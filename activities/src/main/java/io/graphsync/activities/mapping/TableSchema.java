package io.graphsync.activities.mapping;

import java.util.List;
import java.util.Optional;

/**
 * One table of the live PostgreSQL database, as far as the mapping cares.
 *
 * @param oid the table's oid: two names of one table (e.g. {@code users} and {@code public.users}) share it
 * @param qualifiedName schema-qualified name
 * @param kind {@code pg_class.relkind}: {@code r} table, {@code p} partitioned table, others are not tables
 * @param replicaIdentity {@code pg_class.relreplident}: {@code f} = FULL
 * @param columns in table order
 * @param primaryKey the primary-key columns in key order; empty when there is none
 */
record TableSchema(long oid, String qualifiedName, char kind, char replicaIdentity, List<ColumnSchema> columns,
    List<String> primaryKey) {

  /**
   * One column.
   *
   * @param typeName {@code pg_type.typname} of the column's type (a domain's base type), e.g. {@code int4}
   * @param typeKind {@code pg_type.typtype}: {@code b} base, {@code e} enum, {@code c} composite, ...
   * @param typeCategory {@code pg_type.typcategory}: {@code A} for arrays
   * @param elementTypeName for an array, its element type's name (a domain's base type); null otherwise
   * @param elementTypeKind for an array, its element type's {@code typtype}; {@code 0} otherwise
   */
  record ColumnSchema(String name, String typeName, char typeKind, char typeCategory, String elementTypeName,
      char elementTypeKind) {

    ColumnSchema(String name, String typeName, char typeKind, char typeCategory) {
      this(name, typeName, typeKind, typeCategory, null, (char) 0);
    }

    boolean isArray() {
      return typeCategory == 'A';
    }
  }

  boolean isTable() {
    return kind == 'r' || kind == 'p';
  }

  boolean hasFullReplicaIdentity() {
    return replicaIdentity == 'f';
  }

  Optional<ColumnSchema> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  boolean hasColumn(String name) {
    return column(name).isPresent();
  }

  List<String> columnNames() {
    return columns.stream().map(ColumnSchema::name).toList();
  }
}
