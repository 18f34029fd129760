package io.graphsync.app;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the Spring integration tests: worker-app against the shared real servers. One base class, one
 * property source, hence one cached application context and one capture (one slot, one lease) for all of them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class StackIT {

  @DynamicPropertySource
  static void stack(DynamicPropertyRegistry registry) {
    StackTestSupport.register(registry);
  }
}
