package io.graphsync.workflows.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * One committed change of one row, from any source: the unit of work of {@link SyncChangeEventWorkflow}.
 *
 * <p>{@code data} and {@code previousData} hold the row's columns as JSON-friendly values, normalised by the
 * capture: uuid, timestamptz, numeric and jsonb as strings (ISO-8601 for times, exact decimal text, JSON text),
 * arrays as lists. A TOASTed value that PostgreSQL did not send is the string
 * {@link #UNAVAILABLE_VALUE}; it must never be written to the graph as data. For a DELETE, {@code data} is
 * null and {@code previousData} holds at least the key.
 *
 * @param eventId deterministic: derived from {@code table}, {@code entityId} and {@code position}, so a change
 *     replayed by the capture has the same id
 * @param correlationId groups the events of one source transaction (PostgreSQL: the transaction id)
 * @param entityType the mapped label, e.g. {@code ContentItem}
 * @param entityId the row's key as text; composite keys (join tables) joined with {@code |}
 * @param tenantId the row's tenant, or null
 * @param timestamp the source commit time
 * @param userId who made the change, when the source knows it, else null
 * @param version the row's {@code pg_version}, or null for tables without one (join tables)
 * @param position the source's monotonic order key: the PostgreSQL LSN of the change
 * @param table the source table, e.g. {@code content_items}
 * @param dataOmitted the row's columns are not (all) in the event: the capture left them out because the change
 *     was over its payload size limit, or an operator's {@code retry} asks for the row as it is now. {@code data}
 *     and {@code previousData} then hold at most the key, tenant, foreign-key and {@code pg_version} columns, and
 *     {@code applyToGraph}
 *     re-reads a CREATE's or UPDATE's row from the source by {@code entityId}. Absent in older histories: false.
 */
public record ChangeEvent(
    @JsonProperty("eventId") String eventId,
    @JsonProperty("correlationId") String correlationId,
    @JsonProperty("eventType") EventType eventType,
    @JsonProperty("entityType") String entityType,
    @JsonProperty("entityId") String entityId,
    @JsonProperty("tenantId") String tenantId,
    @JsonProperty("timestamp") Instant timestamp,
    @JsonProperty("data") Map<String, Object> data,
    @JsonProperty("previousData") Map<String, Object> previousData,
    @JsonProperty("userId") String userId,
    @JsonProperty("source") EventSource source,
    @JsonProperty("version") Long version,
    @JsonProperty("position") long position,
    @JsonProperty("table") String table,
    @JsonProperty("dataOmitted") boolean dataOmitted) {

  /** Debezium's placeholder for a TOASTed column whose value was not in the change. */
  public static final String UNAVAILABLE_VALUE = "__debezium_unavailable_value";

  /**
   * The capture's value for a mapped column that the change's row does not have (the column was dropped or renamed
   * after the mapping was validated): unlike {@link #UNAVAILABLE_VALUE} it is not "unchanged", the graph writer fails
   * the change with {@code SchemaChanged} instead of keeping the property's old value in silence.
   */
  public static final String MISSING_COLUMN_VALUE = "__graphsync_missing_column";

  /** The deterministic event id of a change. */
  public static String eventIdOf(String table, String entityId, long position) {
    return table + "/" + entityId + "/" + position;
  }

  /**
   * This change with its row to be re-read from the source: the same identity and position (so the order guard
   * still holds), {@code data} reduced to what {@code previousData} already carried for a DELETE, nothing for the
   * others.
   */
  public ChangeEvent withDataFromSource() {
    return new ChangeEvent(eventId, correlationId, eventType, entityType, entityId, tenantId, timestamp, null,
        eventType == EventType.DELETE ? previousData : null, userId, source, version, position, table, true);
  }

  /** The workflow id of the sync of this change: one workflow per change, the same on replay. */
  public String workflowId() {
    return "sync/" + entityType + "/" + entityId + "/" + position;
  }
}
