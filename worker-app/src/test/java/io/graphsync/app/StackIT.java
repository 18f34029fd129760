package io.graphsync.app;

import io.graphsync.testing.GraphsyncExtension;
import io.graphsync.testing.Sql;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the Spring integration tests: worker-app against the shared real servers of the test harness. One base
 * class, one property source, hence one cached application context and one capture (one slot, one lease) for all of
 * them. {@link GraphsyncExtension} injects the servers and the rest of the harness into test methods as well.
 */
@ExtendWith(GraphsyncExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class StackIT {

  @Autowired
  DataSource dataSource;

  /** SQL on worker-app's own DataSource (the shared database, migrated by the app's Flyway). */
  Sql sql;

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackTestSupport.register(registry);
  }

  @BeforeEach
  void sqlOnTheAppsDataSource() {
    sql = new Sql(dataSource);
  }
}
