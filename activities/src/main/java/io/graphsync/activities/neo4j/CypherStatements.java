package io.graphsync.activities.neo4j;

import static io.graphsync.activities.mapping.Identifiers.quote;

import io.graphsync.activities.neo4j.GraphMutation.DeleteNode;
import io.graphsync.activities.neo4j.GraphMutation.DeleteRelationship;
import io.graphsync.activities.neo4j.GraphMutation.ForeignKeyLink;
import io.graphsync.activities.neo4j.GraphMutation.HeldRelationship;
import io.graphsync.activities.neo4j.GraphMutation.UpsertNode;
import io.graphsync.activities.neo4j.GraphMutation.UpsertRelationship;
import io.graphsync.workflows.mapping.Direction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cypher of each {@link GraphMutation}: pure functions of the mutation. Each statement returns one row
 * ({@code nodeId}: the element id of an upserted node, else null) when the change was applied, and no row when it
 * was stale (its position not greater than the entity's {@code syncPosition} or tombstone).
 *
 * <p>Every statement starts by {@code MERGE}-ing the node(s) it touches and write-locking them
 * ({@code SET ... REMOVE graphsyncLock}), and only then reads the order key: concurrent changes of one entity run
 * one after the other, and none of them decides on a position another one is about to overwrite. A node created
 * only for that lock carries {@code graphsyncNew} and is deleted again if the change is stale.
 */
public final class CypherStatements {

  /** Label of the tombstones that deletes leave. */
  public static final String TOMBSTONE_LABEL = "GraphsyncTombstone";

  private CypherStatements() {}

  /** The statement of any mutation. */
  public static CypherStatement of(GraphMutation mutation) {
    if (mutation instanceof UpsertNode upsert) {
      return upsertNode(upsert);
    }
    if (mutation instanceof DeleteNode delete) {
      return deleteNode(delete);
    }
    if (mutation instanceof UpsertRelationship upsert) {
      return upsertRelationship(upsert);
    }
    if (mutation instanceof DeleteRelationship delete) {
      return deleteRelationship(delete);
    }
    throw new IllegalArgumentException("unknown mutation " + mutation);
  }

  /**
   * Many mutations of one shape (same statement text: same label or type, same foreign keys) as one
   * {@code UNWIND $rows AS row} statement with exactly the per-row guard of {@link #of}: each row's values come from
   * {@code row.<name>} instead of {@code $<name>}, and every {@code WITH} carries {@code row}. Returns one record per
   * applied row ({@code key}, {@code nodeId}); a stale row returns none.
   *
   * @param keys the entity key of each mutation (returned as {@code key}), in the order of {@code mutations}
   * @throws IllegalArgumentException when the mutations are not of one shape
   */
  public static CypherStatement batch(List<? extends GraphMutation> mutations, List<String> keys) {
    if (mutations.isEmpty() || mutations.size() != keys.size()) {
      throw new IllegalArgumentException("a batch needs mutations, and one key per mutation");
    }
    String single = null;
    List<Map<String, Object>> rows = new ArrayList<>(mutations.size());
    for (int i = 0; i < mutations.size(); i++) {
      CypherStatement statement = of(mutations.get(i));
      if (single == null) {
        single = statement.text();
      } else if (!single.equals(statement.text())) {
        throw new IllegalArgumentException("a batch holds mutations of one shape: " + mutations.get(0) + " vs "
            + mutations.get(i));
      }
      Map<String, Object> row = new HashMap<>(statement.parameters());
      row.put("key", keys.get(i));
      rows.add(row);
    }
    return new CypherStatement(batchText(single), Map.of("rows", rows));
  }

  /** The batch form of a single statement's text. */
  static String batchText(String single) {
    int returns = single.lastIndexOf("RETURN ");
    String body = single.substring(0, returns)
        .replaceAll("\\$(\\w+)", "row.$1")
        .replaceAll("\\bWITH ", "WITH row, ");
    String returned = single.substring(returns + "RETURN ".length());
    return "UNWIND $rows AS row\n" + body + "RETURN row.key AS key, " + returned;
  }

  /**
   * A read of the positions that guard an upsert of a node: {@code node} (its {@code syncPosition}) and
   * {@code tombstone} (its tombstone's), -1 for none. A stale verdict is only right when one of them is at or after
   * the upsert's position.
   */
  public static CypherStatement guardPositions(UpsertNode upsert) {
    return new CypherStatement("OPTIONAL MATCH (n:" + quote(upsert.label()) + " {id: $id}) WITH n "
        + "OPTIONAL MATCH (gone:" + TOMBSTONE_LABEL + " {key: $key}) "
        + "RETURN coalesce(n.syncPosition, -1) AS node, coalesce(gone.position, -1) AS tombstone",
        Map.of("id", upsert.id(), "key", upsert.tombstoneKey()));
  }

  /** Whether the positions {@link #guardPositions} read are both before the upsert's: a stale verdict was wrong. */
  public static boolean olderThan(org.neo4j.driver.Record positions, UpsertNode upsert) {
    return positions.get("node").asLong() < upsert.position()
        && positions.get("tombstone").asLong() < upsert.position();
  }

  /** Node MERGE + guard + SET, then per foreign key: drop the relationships to other targets, MERGE the one. */
  public static CypherStatement upsertNode(UpsertNode upsert) {
    StringBuilder text = new StringBuilder("""
        MERGE (n:%1$s {id: $id})
        ON CREATE SET n.neo4jVersion = 0, n.graphsyncNew = true
        SET n.graphsyncLock = true
        REMOVE n.graphsyncLock
        WITH n
        OPTIONAL MATCH (gone:%2$s {key: $tombstoneKey})
        WITH n, gone, coalesce(n.syncPosition, -1) < $position AND coalesce(gone.position, -1) < $position AS fresh
        FOREACH (stale IN CASE WHEN NOT fresh AND n.graphsyncNew THEN [n] ELSE [] END | DELETE stale)
        WITH n, gone WHERE fresh
        DELETE gone
        SET n += $properties, n.pgId = $id, n.tenantId = $tenantId, n.pgVersion = $version,
            n.syncPosition = $position, n.lastSyncedAt = datetime()
        REMOVE n.placeholder, n.graphsyncNew
        """.formatted(quote(upsert.label()), TOMBSTONE_LABEL));
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("id", upsert.id());
    parameters.put("tombstoneKey", upsert.tombstoneKey());
    parameters.put("position", upsert.position());
    parameters.put("properties", upsert.properties());
    parameters.put("tenantId", upsert.tenantId());
    parameters.put("version", upsert.version());
    List<ForeignKeyLink> links = upsert.links();
    for (int i = 0; i < links.size(); i++) {
      ForeignKeyLink link = links.get(i);
      text.append(linkClauses(link, i));
      parameters.put("link" + i, link.targetId());
      parameters.put("linkTombstoneKey" + i, link.targetId() == null ? null : link.targetTombstoneKey());
    }
    text.append("RETURN elementId(n) AS nodeId");
    return new CypherStatement(text.toString(), parameters);
  }

  /**
   * One foreign key: delete the node's relationships of that type and direction to other nodes of the target label,
   * then MERGE the one to the target, creating the target as a placeholder when it has not arrived yet (unless the
   * target was deleted after this change: then the reference is obsolete and a placeholder would be a ghost).
   */
  private static String linkClauses(ForeignKeyLink link, int i) {
    String type = quote(link.type());
    String target = quote(link.targetLabel());
    String previous = link.direction() == Direction.OUTGOING
        ? "(n)-[old%1$d:%2$s]->(previous%1$d:%3$s)" : "(n)<-[old%1$d:%2$s]-(previous%1$d:%3$s)";
    String merge = link.direction() == Direction.OUTGOING ? "(n)-[:%2$s]->(target%1$d)" : "(n)<-[:%2$s]-(target%1$d)";
    return ("""
        WITH n
        OPTIONAL MATCH %4$s
        WHERE $link%1$d IS NULL OR previous%1$d.id <> $link%1$d
        WITH n, collect(old%1$d) AS obsolete%1$d
        FOREACH (r IN obsolete%1$d | DELETE r)
        WITH n
        OPTIONAL MATCH (gone%1$d:%5$s {key: $linkTombstoneKey%1$d})
        WITH n, CASE WHEN $link%1$d IS NOT NULL AND coalesce(gone%1$d.position, -1) < $position
            THEN [$link%1$d] ELSE [] END AS targetIds%1$d
        FOREACH (targetId IN targetIds%1$d |
          MERGE (target%1$d:%3$s {id: targetId})
          ON CREATE SET target%1$d.placeholder = true, target%1$d.pgId = targetId, target%1$d.neo4jVersion = 0
          MERGE %6$s)
        """).formatted(i, type, target, previous.formatted(i, type, target), TOMBSTONE_LABEL,
        merge.formatted(i, type));
  }

  /**
   * Node MERGE + guard, then DETACH DELETE and the tombstone. When the node can be reached by relationships other
   * rows own ({@link DeleteNode#held()}), those written from a change after this delete are kept, and with them the
   * node, emptied to a placeholder (its own relationships and properties go); the tombstone is written either way.
   */
  public static CypherStatement deleteNode(DeleteNode delete) {
    StringBuilder text = new StringBuilder("""
        MERGE (n:%1$s {id: $id})
        ON CREATE SET n.graphsyncNew = true
        SET n.graphsyncLock = true
        REMOVE n.graphsyncLock
        WITH n
        OPTIONAL MATCH (gone:%2$s {key: $tombstoneKey})
        WITH n, coalesce(n.syncPosition, -1) < $position AND coalesce(gone.position, -1) < $position AS fresh
        """.formatted(quote(delete.label()), TOMBSTONE_LABEL));
    if (delete.held().isEmpty()) {
      text.append("FOREACH (doomed IN CASE WHEN fresh OR n.graphsyncNew THEN [n] ELSE [] END | "
          + "DETACH DELETE doomed)\n");
    } else {
      text.append(keepHeld(delete.held(), "fresh")).append("""
          FOREACH (doomed IN CASE WHEN (fresh AND NOT kept) OR n.graphsyncNew THEN [n] ELSE [] END |
            DETACH DELETE doomed)
          """);
    }
    text.append("""
        WITH fresh WHERE fresh
        MERGE (tombstone:%1$s {key: $tombstoneKey})
        SET tombstone.position = $position, tombstone.deletedAt = datetime()
        RETURN null AS nodeId""".formatted(TOMBSTONE_LABEL));
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("id", delete.id());
    parameters.put("tombstoneKey", delete.tombstoneKey());
    parameters.put("position", delete.position());
    return new CypherStatement(text.toString(), parameters);
  }

  /**
   * The clauses that, for a node {@code n} about to be deleted at {@code $position} (when the boolean variable
   * {@code deleting} is true), find the {@code held} relationships written from a later change, delete every other
   * relationship of {@code n}, and empty {@code n} to a placeholder when any is held. They carry {@code n},
   * {@code deleting} and end with {@code kept} (whether {@code n} stays); the caller then deletes {@code n} unless
   * kept.
   */
  public static String keepHeld(List<HeldRelationship> held, String deleting) {
    StringBuilder text = new StringBuilder("WITH n, " + deleting + ", [] AS held\n");
    for (int i = 0; i < held.size(); i++) {
      HeldRelationship relationship = held.get(i);
      String pattern = relationship.direction() == Direction.OUTGOING
          ? "(n)-[held%1$d:%2$s]->(other%1$d:%3$s)" : "(n)<-[held%1$d:%2$s]-(other%1$d:%3$s)";
      String dated = relationship.positioned() ? "held%1$d.syncPosition" : "other%1$d.syncPosition";
      text.append(("OPTIONAL MATCH " + pattern + " WHERE %4$s AND " + dated + " > $position\n"
          + "WITH n, %4$s, held, collect(held%1$d) AS found%1$d\n"
          + "WITH n, %4$s, held + found%1$d AS held\n")
          .formatted(i, quote(relationship.type()), quote(relationship.otherLabel()), deleting));
    }
    text.append("""
        WITH n, %1$s, held, %1$s AND size(held) > 0 AS kept
        OPTIONAL MATCH (n)-[own]-() WHERE kept AND NOT own IN held
        WITH n, %1$s, kept, collect(own) AS obsolete
        FOREACH (r IN obsolete | DELETE r)
        FOREACH (emptied IN CASE WHEN kept THEN [n] ELSE [] END |
          SET emptied = {id: emptied.id, pgId: emptied.id, placeholder: true, neo4jVersion: 0})
        """.formatted(deleting));
    return text.toString();
  }

  /**
   * Endpoint MERGEs (placeholders when missing) + guard (the relationship's position, its tombstone, and the
   * endpoints' tombstones: a row older than an endpoint's delete is obsolete), then MERGE and SET.
   */
  public static CypherStatement upsertRelationship(UpsertRelationship upsert) {
    String text = """
        MERGE (a:%1$s {id: $fromId})
        ON CREATE SET a.placeholder = true, a.pgId = $fromId, a.neo4jVersion = 0, a.graphsyncNew = true
        MERGE (b:%2$s {id: $toId})
        ON CREATE SET b.placeholder = true, b.pgId = $toId, b.neo4jVersion = 0, b.graphsyncNew = true
        SET a.graphsyncLock = true, b.graphsyncLock = true
        REMOVE a.graphsyncLock, b.graphsyncLock
        WITH a, b
        OPTIONAL MATCH (a)-[r:%3$s]->(b)
        WITH a, b, max(r.syncPosition) AS relationshipPosition
        OPTIONAL MATCH (gone:%4$s {key: $tombstoneKey})
        OPTIONAL MATCH (goneFrom:%4$s {key: $fromTombstoneKey})
        OPTIONAL MATCH (goneTo:%4$s {key: $toTombstoneKey})
        WITH a, b, gone, coalesce(relationshipPosition, -1) < $position AND coalesce(gone.position, -1) < $position
            AND coalesce(goneFrom.position, -1) < $position AND coalesce(goneTo.position, -1) < $position AS fresh
        FOREACH (stale IN CASE WHEN fresh THEN [] ELSE [x IN [a, b] WHERE x.graphsyncNew] END | DELETE stale)
        WITH a, b, gone WHERE fresh
        DELETE gone
        REMOVE a.graphsyncNew, b.graphsyncNew
        MERGE (a)-[r:%3$s]->(b)
        SET r += $properties, r.tenantId = $tenantId, r.syncPosition = $position, r.lastSyncedAt = datetime()
        RETURN null AS nodeId""".formatted(quote(upsert.from().label()), quote(upsert.to().label()),
        quote(upsert.type()), TOMBSTONE_LABEL);
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("fromId", upsert.from().id());
    parameters.put("toId", upsert.to().id());
    parameters.put("tombstoneKey", upsert.tombstoneKey());
    parameters.put("fromTombstoneKey", upsert.from().tombstoneKey());
    parameters.put("toTombstoneKey", upsert.to().tombstoneKey());
    parameters.put("position", upsert.position());
    parameters.put("properties", upsert.properties());
    parameters.put("tenantId", upsert.tenantId());
    return new CypherStatement(text, parameters);
  }

  /** Endpoint MERGEs (only to lock; removed again if created) + guard, then DELETE and the tombstone. */
  public static CypherStatement deleteRelationship(DeleteRelationship delete) {
    String text = """
        MERGE (a:%1$s {id: $fromId})
        ON CREATE SET a.graphsyncNew = true
        MERGE (b:%2$s {id: $toId})
        ON CREATE SET b.graphsyncNew = true
        SET a.graphsyncLock = true, b.graphsyncLock = true
        REMOVE a.graphsyncLock, b.graphsyncLock
        WITH a, b
        OPTIONAL MATCH (a)-[r:%3$s]->(b)
        WITH a, b, collect(r) AS relationships, max(r.syncPosition) AS relationshipPosition
        OPTIONAL MATCH (gone:%4$s {key: $tombstoneKey})
        WITH a, b, relationships,
            coalesce(relationshipPosition, -1) < $position AND coalesce(gone.position, -1) < $position AS fresh
        FOREACH (r IN CASE WHEN fresh THEN relationships ELSE [] END | DELETE r)
        FOREACH (created IN [x IN [a, b] WHERE x.graphsyncNew] | DELETE created)
        WITH fresh WHERE fresh
        MERGE (tombstone:%4$s {key: $tombstoneKey})
        SET tombstone.position = $position, tombstone.deletedAt = datetime()
        RETURN null AS nodeId""".formatted(quote(delete.from().label()), quote(delete.to().label()),
        quote(delete.type()), TOMBSTONE_LABEL);
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("fromId", delete.from().id());
    parameters.put("toId", delete.to().id());
    parameters.put("tombstoneKey", delete.tombstoneKey());
    parameters.put("position", delete.position());
    return new CypherStatement(text, parameters);
  }
}
