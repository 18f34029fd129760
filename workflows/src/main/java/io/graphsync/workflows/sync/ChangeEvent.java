package io.graphsync.workflows.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

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
    // the constructor, not the builder: workflow code, on events of any history, validated or not
    return new ChangeEvent(eventId, correlationId, eventType, entityType, entityId, tenantId, timestamp, null,
        eventType == EventType.DELETE ? previousData : null, userId, source, version, position, table, true);
  }

  /** The workflow id of the sync of this change: one workflow per change, the same on replay. */
  public String workflowId() {
    return "sync/" + entityType + "/" + entityId + "/" + position;
  }

  /** A new change, every component named ({@link Builder}); {@code eventId} derives from table, key and position. */
  public static Builder builder(EventSource source, EventType eventType) {
    return new Builder().source(source).eventType(eventType);
  }

  /** This change as a builder, e.g. to replace its data with the row re-read from the source. */
  public Builder toBuilder() {
    return new Builder().eventId(eventId).correlationId(correlationId).eventType(eventType).entityType(entityType)
        .entityId(entityId).tenantId(tenantId).timestamp(timestamp).data(data).previousData(previousData)
        .userId(userId).source(source).version(version).position(position).table(table).dataOmitted(dataOmitted);
  }

  /**
   * Builds a {@link ChangeEvent} by name, so that no two of its fifteen components can be swapped unnoticed. Unless
   * set, {@code eventId} is {@link #eventIdOf} of table, entity id and position.
   */
  public static final class Builder {

    private String eventId;
    private String correlationId;
    private EventType eventType;
    private String entityType;
    private String entityId;
    private String tenantId;
    private Instant timestamp;
    private Map<String, Object> data;
    private Map<String, Object> previousData;
    private String userId;
    private EventSource source;
    private Long version;
    private long position;
    private String table;
    private boolean dataOmitted;

    private Builder() {}

    public Builder eventId(String eventId) {
      this.eventId = eventId;
      return this;
    }

    public Builder correlationId(String correlationId) {
      this.correlationId = correlationId;
      return this;
    }

    public Builder eventType(EventType eventType) {
      this.eventType = eventType;
      return this;
    }

    /** The row: its table (as the mapping names it), its label or relationship type, and its key text. */
    public Builder entity(String table, String entityType, String entityId) {
      this.table = table;
      this.entityType = entityType;
      this.entityId = entityId;
      return this;
    }

    public Builder entityType(String entityType) {
      this.entityType = entityType;
      return this;
    }

    public Builder entityId(String entityId) {
      this.entityId = entityId;
      return this;
    }

    public Builder table(String table) {
      this.table = table;
      return this;
    }

    public Builder tenantId(String tenantId) {
      this.tenantId = tenantId;
      return this;
    }

    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    public Builder data(Map<String, Object> data) {
      this.data = data;
      return this;
    }

    public Builder previousData(Map<String, Object> previousData) {
      this.previousData = previousData;
      return this;
    }

    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    public Builder source(EventSource source) {
      this.source = source;
      return this;
    }

    public Builder version(Long version) {
      this.version = version;
      return this;
    }

    public Builder position(long position) {
      this.position = position;
      return this;
    }

    public Builder dataOmitted(boolean dataOmitted) {
      this.dataOmitted = dataOmitted;
      return this;
    }

    /** @throws NullPointerException when the event type, source, table, entity type or entity id is missing */
    public ChangeEvent build() {
      Objects.requireNonNull(eventType, "eventType");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(entityType, "entityType");
      Objects.requireNonNull(entityId, "entityId");
      return new ChangeEvent(eventId != null ? eventId : eventIdOf(table, entityId, position), correlationId,
          eventType, entityType, entityId, tenantId, timestamp, data, previousData, userId, source, version,
          position, table, dataOmitted);
    }
  }
}
