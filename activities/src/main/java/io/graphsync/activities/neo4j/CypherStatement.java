package io.graphsync.activities.neo4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Cypher statement and its parameters (values may be null).
 *
 * @param text Cypher text: labels and types backtick-quoted from the mapping, every value a parameter
 */
public record CypherStatement(String text, Map<String, Object> parameters) {

  public CypherStatement {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }
}
