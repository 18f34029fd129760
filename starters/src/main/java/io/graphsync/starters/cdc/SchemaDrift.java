package io.graphsync.starters.cdc;

import io.graphsync.workflows.sync.ChangeEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the schema of each captured row (Debezium's relation metadata: the fields of the row {@code Struct}) with
 * the mapping validated at start-up, and remembers what differs, for the logs and the capture's health.
 *
 * <ul>
 *   <li>A <b>mapped column missing</b> from a change's row (dropped or renamed while the capture runs): the change
 *       still starts its workflow, with the column's value set to {@link ChangeEvent#MISSING_COLUMN_VALUE}, so that
 *       {@code applyToGraph} fails it with {@code SchemaChanged} (the row becomes FAILED, the operator sees it in the
 *       Web UI). Logged at WARN once per column; a finding (table, column, since, changes affected) makes the
 *       capture's health WARNING until worker-app restarts with a mapping that fits.
 *   <li>A <b>column the mapping does not name</b> (added while the capture runs, or left out of {@code include}):
 *       not an error, it is simply not synced; logged at INFO once per column and listed in health as information.
 * </ul>
 *
 * <p>Thread-safe; one per capture, so it starts empty at every start of worker-app.
 */
public final class SchemaDrift {

  private static final Logger log = LoggerFactory.getLogger(SchemaDrift.class);

  /**
   * A mapped column missing from captured changes, or whose type changed in them.
   *
   * @param table the table as the mapping names it
   * @param column the mapped column
   * @param problem what is wrong, for an operator
   * @param since the capture time of the first affected change
   * @param firstPosition the LSN of the first affected change
   * @param changes how many captured changes lacked it (a batch delivered again counts again)
   */
  public record Finding(String table, String column, String problem, Instant since, long firstPosition, long changes) {}

  private final Clock clock;
  private final Map<String, Finding> findings = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> unmapped = new ConcurrentHashMap<>();
  /** table.column → the column's type in the first change this capture saw (Connect type and logical name). */
  private final Map<String, String> types = new ConcurrentHashMap<>();

  SchemaDrift(Clock clock) {
    this.clock = clock;
  }

  /**
   * The mapped columns of {@code table} that a row with {@code rowSchema} lacks, in mapping order; notes columns the
   * mapping does not name. Empty when the row fits the mapping.
   */
  List<String> check(MappedTable table, Schema rowSchema, long position) {
    if (rowSchema == null) {
      return List.of();
    }
    List<String> missing = new ArrayList<>();
    for (String column : table.mappedColumns()) {
      if (rowSchema.field(column) == null) {
        missing.add(column);
      }
    }
    if (!table.knownColumns().isEmpty()) {
      for (Field field : rowSchema.fields()) {
        if (!table.knownColumns().contains(field.name())) {
          unmappedColumn(table, field.name(), position);
        }
      }
    }
    return missing;
  }

  /**
   * The mapped property columns of {@code table} whose type in {@code rowSchema} differs from their type in the first
   * change of the table this capture saw (e.g. {@code integer} altered to {@code text}: the row's INT32 became a
   * STRING). The mapping was validated against the types at start-up, so a change of type after it makes the
   * conversion unsure.
   */
  List<String> typeChanged(MappedTable table, Schema rowSchema) {
    if (rowSchema == null) {
      return List.of();
    }
    List<String> changed = new ArrayList<>();
    for (String column : table.mappedColumns()) {
      Field field = rowSchema.field(column);
      // the key, tenant and foreign-key columns place the row: a change of their type that matters fails the change
      // as malformed or its relationships, so only property columns are compared here
      if (field == null || table.retainedColumns().contains(column)) {
        continue;
      }
      String type = field.schema().type() + (field.schema().name() == null ? "" : " " + field.schema().name());
      String first = types.putIfAbsent(table.name() + "." + column, type);
      if (first != null && !first.equals(type)) {
        changed.add(column);
      }
    }
    return changed;
  }

  /** Counts a change whose row lacks {@code missing} mapped columns of {@code table}. */
  void affected(MappedTable table, List<String> missing, long position) {
    affected(table, missing, position, "is missing from the changes of '" + table.name() + "' (dropped or renamed)");
  }

  /** Counts a change whose {@code changed} mapped columns of {@code table} have another type than before. */
  void typeChanged(MappedTable table, List<String> changed, long position) {
    affected(table, changed, position, "changed its type in the changes of '" + table.name() + "' since this capture "
        + "started (altered in PostgreSQL)");
  }

  private void affected(MappedTable table, List<String> missing, long position, String problem) {
    for (String column : missing) {
      findings.compute(table.name() + "." + column, (key, known) -> {
        if (known != null) {
          return new Finding(known.table(), known.column(), known.problem(), known.since(),
              known.firstPosition(), known.changes() + 1);
        }
        log.warn("schema drift: mapped column '{}' {} (since LSN {}). Their syncs fail with SchemaChanged until the "
            + "mapping fits the table: update the mapping, restart worker-app, then retry the FAILED syncs "
            + "(docs/runbook.md, schema changes)", column, problem, position);
        return new Finding(table.name(), column, "mapped column '" + column + "' " + problem, clock.instant(),
            position, 1);
      });
    }
  }

  private void unmappedColumn(MappedTable table, String column, long position) {
    if (unmapped.computeIfAbsent(table.name(), t -> ConcurrentHashMap.newKeySet()).add(column)) {
      log.info("table '{}' has column '{}' (seen at LSN {}), which the mapping does not name: it is not synced. To "
          + "sync it, add it to the mapping, restart worker-app and backfill the table", table.name(), column,
          position);
    }
  }

  /** The mapped columns missing from changes, by table and column. */
  List<Finding> findings() {
    return findings.values().stream()
        .sorted(Comparator.comparing(Finding::table).thenComparing(Finding::column))
        .toList();
  }

  /** Columns seen in changes that the mapping does not name, by table (sorted). */
  Map<String, List<String>> unmappedColumns() {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    new TreeMap<>(unmapped).forEach((table, names) -> columns.put(table, List.copyOf(new TreeSet<>(names))));
    return columns;
  }
}
