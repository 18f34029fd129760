package io.graphsync.app.webui;

import io.graphsync.dev.TemporalDevServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.opentest4j.TestAbortedException;

/**
 * JUnit 5: one headless Debian Chromium per test class, driven by Debian's chromedriver, for tests that open the real
 * Temporal Web UI. Register it on a static field:
 *
 * <pre>{@code
 * @ExtendWith(GraphsyncExtension.class)
 * class MyIT {
 *   @RegisterExtension
 *   static final HeadlessChromium chromium = new HeadlessChromium();
 *
 *   @Test
 *   void test(TemporalDevServer temporal) {
 *     TemporalWebUi ui = chromium.temporalWebUi(temporal);
 *     ui.openWorkflowList("SyncStatus = \"FAILED\"");
 *     assertThat(ui.awaitWorkflowIdsShown(ids -> ids.contains(id), Duration.ofSeconds(30))).contains(id);
 *     chromium.screenshot();
 *   }
 * }
 * }</pre>
 *
 * <p>Only the installed browser is used: the binaries are given to Selenium explicitly, so Selenium Manager never
 * runs and nothing is downloaded. The browser resolves no host name but loopback ones, so the UI's calls to the
 * internet (its news feed) fail at once instead of leaving the machine. When neither binary is installed the tests
 * are skipped, unless the environment variable {@code CI} is set: there a missing browser fails them.
 *
 * <p>Artifacts land in {@code target/webui-screenshots/}: {@link #screenshot()} writes {@code <Class>.<method>.png};
 * a failed test leaves {@code <Class>.<method>-failure.png} and {@code .html}; the driver's log is
 * {@code chromedriver.log}.
 */
public final class HeadlessChromium implements BeforeEachCallback, AfterTestExecutionCallback, AfterAllCallback {

  /** Debian's {@code chromium} package; {@code GRAPHSYNC_CHROMIUM} points elsewhere. */
  public static final Path DEFAULT_CHROMIUM = Path.of("/usr/bin/chromium");
  /** Debian's {@code chromium-driver} package; {@code GRAPHSYNC_CHROMEDRIVER} points elsewhere. */
  public static final Path DEFAULT_CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** How long a page may take to show what a helper waits for. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);

  private static final Path ARTIFACTS = Path.of("target", "webui-screenshots").toAbsolutePath();
  /**
   * Selenium warns once per driver that it has no CDP module for this Chromium; plain WebDriver does not need one.
   * Kept in a field: java.util.logging holds loggers weakly and would forget the level.
   */
  private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  private final Path chromium;
  private final Path chromedriver;
  private ChromeDriver driver;
  private Path profile;
  private String testName = "webui";

  /** Debian's binaries, or those named by {@code GRAPHSYNC_CHROMIUM} and {@code GRAPHSYNC_CHROMEDRIVER}. */
  public HeadlessChromium() {
    this(fromEnv("GRAPHSYNC_CHROMIUM", DEFAULT_CHROMIUM), fromEnv("GRAPHSYNC_CHROMEDRIVER", DEFAULT_CHROMEDRIVER));
  }

  public HeadlessChromium(Path chromium, Path chromedriver) {
    this.chromium = chromium;
    this.chromedriver = chromedriver;
  }

  private static Path fromEnv(String variable, Path fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : Path.of(value);
  }

  /** Checked per test, not per class: a class-level skip would vanish from the reports ("Tests run: 0"). */
  @Override
  public void beforeEach(ExtensionContext context) {
    requireInstalled();
    testName = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
    try { // a failure's artifacts from an earlier run must not pass for this run's
      Files.deleteIfExists(ARTIFACTS.resolve(testName + "-failure.png"));
      Files.deleteIfExists(ARTIFACTS.resolve(testName + "-failure.html"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    boolean failed = context.getExecutionException().filter(e -> !(e instanceof TestAbortedException)).isPresent();
    if (failed && driver != null) {
      try {
        screenshot(testName + "-failure");
        Files.writeString(ARTIFACTS.resolve(testName + "-failure.html"), driver.getPageSource());
      } catch (RuntimeException | IOException e) {
        context.getExecutionException().get().addSuppressed(e);
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /**
   * Skips the test when no browser is installed and this is not CI; fails it when the installation is partial or
   * when CI lacks the browser.
   */
  private void requireInstalled() {
    boolean hasChromium = Files.isExecutable(chromium);
    boolean hasDriver = Files.isExecutable(chromedriver);
    if (hasChromium && hasDriver) {
      return;
    }
    String install = "browser tests of the Temporal Web UI need Debian's chromium and chromium-driver (" + chromium
        + (hasChromium ? " found, " : " missing, ") + chromedriver + (hasDriver ? " found" : " missing")
        + "): run temporal-dev/bin/prerequisites as root, or apt-get install chromium chromium-driver";
    String ci = System.getenv("CI");
    boolean inCi = ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci);
    if (!hasChromium && !hasDriver && !inCi) {
      Assumptions.abort(install);
    }
    throw new ExtensionConfigurationException(install + (inCi ? " (CI is set: a missing browser fails)" : ""));
  }

  /** The browser, started on first use. */
  public synchronized WebDriver driver() {
    if (driver == null) {
      requireInstalled();
      driver = start();
    }
    return driver;
  }

  private ChromeDriver start() {
    CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    try {
      Files.createDirectories(ARTIFACTS);
      profile = Files.createTempDirectory("graphsync-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // tests run as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--window-size=1600,1000",
        "--user-data-dir=" + profile,
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1 , EXCLUDE [::1]");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .withLogFile(ARTIFACTS.resolve("chromedriver.log").toFile())
        .build();
    ChromeDriver started = new ChromeDriver(service, options);
    started.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return started;
  }

  /** A wait for what a page shows, ignoring elements that the page re-rendered under our feet. */
  public WebDriverWait await(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(driver(), timeout, Duration.ofMillis(100));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** Loads a URL and waits for the document (a single-page app then still fetches its data). */
  public void open(String url) {
    driver().get(url);
  }

  /** The Temporal Web UI at {@code uiBaseUrl} (e.g. {@code http://127.0.0.1:8233}), looking at one namespace. */
  public TemporalWebUi temporalWebUi(String uiBaseUrl, String namespace) {
    return new TemporalWebUi(this, uiBaseUrl, namespace);
  }

  /** The Web UI of a dev server, looking at its namespace. */
  public TemporalWebUi temporalWebUi(TemporalDevServer temporal) {
    return temporalWebUi(temporal.uiUrl(), temporal.namespace());
  }

  /** Saves what the browser shows as {@code target/webui-screenshots/<Class>.<method>.png}. */
  public Path screenshot() {
    return screenshot(testName);
  }

  /** Saves what the browser shows as {@code target/webui-screenshots/<name>.png}. */
  public Path screenshot(String name) {
    Path file = ARTIFACTS.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
    try {
      Files.write(file, ((TakesScreenshot) driver()).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /** Quits the browser and deletes its profile; a later {@link #driver()} starts a new one. */
  public synchronized void close() {
    if (driver != null) {
      try {
        driver.quit();
      } finally {
        driver = null;
        deleteRecursively(profile);
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("headless chromium: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
