package io.graphsync.dev;

/**
 * JUnit 5: {@code @ExtendWith(Neo4jExtension.class)} starts the shared {@link Neo4jServer} (once per test JVM) and
 * injects it into test methods, constructors and lifecycle methods.
 */
public final class Neo4jExtension extends ServerExtension<Neo4jServer> {

  public Neo4jExtension() {
    super(Neo4jServer.class, () -> DevStack.shared().neo4j());
  }
}
