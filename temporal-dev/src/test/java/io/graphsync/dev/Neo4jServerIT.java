package io.graphsync.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.exceptions.AuthenticationException;

@ExtendWith(Neo4jExtension.class)
class Neo4jServerIT {

  @Test
  void givenAuthenticatedDriver_whenWritingANode_itReadsItBack(Neo4jServer neo4j) {
    try (Driver driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.basic(neo4j.user(), neo4j.password()))) {
      driver.executableQuery("MERGE (p:Probe {id: $id}) SET p.name = $name")
          .withParameters(Map.of("id", "probe-1", "name", "written over bolt"))
          .execute();

      var records = driver.executableQuery("MATCH (p:Probe {id: $id}) RETURN p.name AS name")
          .withParameters(Map.of("id", "probe-1"))
          .execute()
          .records();

      assertThat(records).hasSize(1);
      assertThat(records.get(0).get("name").asString()).isEqualTo("written over bolt");
    }
  }

  @Test
  void givenWrongPassword_whenConnecting_itIsRejected(Neo4jServer neo4j) {
    try (Driver driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.basic(neo4j.user(), "wrong-password"))) {
      assertThatThrownBy(driver::verifyConnectivity).isInstanceOf(AuthenticationException.class);
    }
  }
}
