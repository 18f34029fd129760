package io.graphsync.app.webui;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The pages of the Temporal Web UI (2.54, bundled with the pinned CLI) that graphsync's tests read, in one namespace.
 * Every {@code open…} waits until the page shows its data, not merely until the document has loaded: the UI is a
 * single-page app that fetches after rendering.
 *
 * <p>Selectors are the UI's own {@code data-testid} attributes and the links a row carries to
 * {@code /namespaces/<ns>/workflows/<id>/…} or {@code /schedules/<id>}, never its CSS classes. The ids come from those
 * links, so an id with {@code /}, spaces or {@code #} reads back exactly. Only the empty states have no test id; they
 * are found by their heading.
 *
 * <p>Visibility is eventually consistent: a workflow started a moment ago may not be listed yet. Use
 * {@link #awaitWorkflowIdsShown} rather than {@link #workflowIdsShown} right after a start.
 */
public final class TemporalWebUi {

  private static final By WORKFLOW_ROWS = By.cssSelector("tr[data-testid='workflows-summary-configurable-table-row']");
  /** In place of rows: "No Workflows Found", or "Error Filtering Workflows" above the server's message. */
  private static final By WORKFLOW_LIST_STATE = By.cssSelector("[aria-live='polite'] h2");
  private static final By WORKFLOW_ID_HEADING = By.cssSelector("[data-testid='workflow-id-heading']");
  private static final By EXECUTION_STATUS = By.cssSelector("[data-testid='execution-status']");
  private static final By NO_SCHEDULES = By.xpath("//p[normalize-space()='No Schedules Found']");
  private static final Duration REFRESH_PAUSE = Duration.ofMillis(500);

  private final HeadlessChromium browser;
  private final String baseUrl;
  private final String namespace;
  private final String workflowsPath;
  private final String schedulesPath;

  TemporalWebUi(HeadlessChromium browser, String baseUrl, String namespace) {
    this.browser = browser;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.namespace = namespace;
    this.workflowsPath = "/namespaces/" + encodePathSegment(namespace) + "/workflows/";
    this.schedulesPath = "/namespaces/" + encodePathSegment(namespace) + "/schedules/";
  }

  public String namespace() {
    return namespace;
  }

  /** {@code <ui>/namespaces/<ns>/workflows?query=<visibility query>}. */
  public String workflowListUrl(String visibilityQuery) {
    return baseUrl + "/namespaces/" + encodePathSegment(namespace) + "/workflows?query="
        + URLEncoder.encode(visibilityQuery, StandardCharsets.UTF_8);
  }

  /**
   * Opens the workflow list filtered by a visibility query, e.g. {@code SyncStatus = "FAILED" AND TenantId = "t-1"},
   * and waits until it shows rows or says that none match.
   *
   * @throws IllegalStateException when the UI rejects the query (an unknown search attribute, a syntax error)
   */
  public TemporalWebUi openWorkflowList(String visibilityQuery) {
    browser.open(workflowListUrl(visibilityQuery));
    awaitWorkflowList();
    return this;
  }

  private void awaitWorkflowList() {
    String state = browser.await(HeadlessChromium.DEFAULT_WAIT)
        .withMessage("the workflow list to show rows or an empty state at " + browser.driver().getCurrentUrl())
        .until(driver -> {
          if (!driver.findElements(WORKFLOW_ROWS).isEmpty()) {
            return "rows";
          }
          List<WebElement> heading = driver.findElements(WORKFLOW_LIST_STATE);
          return heading.isEmpty() || heading.get(0).getText().isBlank() ? null : heading.get(0).getText().strip();
        });
    if (state.startsWith("Error")) {
      WebElement message = browser.driver().findElement(By.xpath("//*[@aria-live='polite']//h2/following-sibling::p"));
      throw new IllegalStateException("the Web UI could not list workflows (" + state + "): " + message.getText()
          + " at " + browser.driver().getCurrentUrl());
    }
  }

  /** The workflow ids in the list as shown, top to bottom (one per row; the first page only). */
  public List<String> workflowIdsShown() {
    return browser.await(HeadlessChromium.DEFAULT_WAIT).until(driver -> {
      List<String> ids = new ArrayList<>();
      By link = By.cssSelector("a[href^='" + workflowsPath + "']");
      for (WebElement row : driver.findElements(WORKFLOW_ROWS)) {
        row.findElements(link).stream().findFirst()
            .ifPresent(a -> ids.add(idAfter(workflowsPath, a.getDomAttribute("href"))));
      }
      return ids;
    });
  }

  /**
   * Reloads the open workflow list until what it shows satisfies {@code until} or {@code timeout} has passed, and
   * returns what it shows then, so that an assertion on the result reports what the UI showed:
   * {@code assertThat(ui.awaitWorkflowIdsShown(ids -> ids.contains(id), timeout)).containsExactly(id)}.
   */
  public List<String> awaitWorkflowIdsShown(Predicate<? super List<String>> until, Duration timeout) {
    return awaitShown(until, timeout, this::workflowIdsShown, this::awaitWorkflowList);
  }

  /** Opens a workflow's page (its latest run) and waits until it shows the workflow's id and status. */
  public TemporalWebUi openWorkflow(String workflowId) {
    browser.open(baseUrl + workflowsPath + encodePathSegment(workflowId));
    browser.await(HeadlessChromium.DEFAULT_WAIT)
        .withMessage("the page of workflow " + workflowId + " at " + browser.driver().getCurrentUrl())
        .until(driver -> {
          List<WebElement> heading = driver.findElements(WORKFLOW_ID_HEADING);
          return !heading.isEmpty() && heading.get(0).getText().strip().equals(workflowId)
              && !driver.findElements(EXECUTION_STATUS).isEmpty();
        });
    return this;
  }

  /**
   * On a workflow's page: its status as the badge names it, e.g. {@code Running}, {@code Failed}, {@code Terminated}.
   */
  public String workflowStatusShown() {
    return browser.await(HeadlessChromium.DEFAULT_WAIT)
        .until(driver -> driver.findElement(EXECUTION_STATUS).getDomProperty("textContent").strip());
  }

  /** Opens the Schedules page and waits until it lists schedules or says there are none. */
  public TemporalWebUi openSchedules() {
    browser.open(baseUrl + schedulesPath.substring(0, schedulesPath.length() - 1));
    awaitSchedules();
    return this;
  }

  private void awaitSchedules() {
    browser.await(HeadlessChromium.DEFAULT_WAIT)
        .withMessage("the Schedules page to list schedules or say there are none at "
            + browser.driver().getCurrentUrl())
        .until(driver -> !scheduleIds(driver).isEmpty() || !driver.findElements(NO_SCHEDULES).isEmpty());
  }

  /** The schedule ids on the Schedules page, top to bottom. */
  public List<String> scheduleIdsShown() {
    return browser.await(HeadlessChromium.DEFAULT_WAIT).until(this::scheduleIds);
  }

  private List<String> scheduleIds(WebDriver driver) {
    Set<String> ids = new LinkedHashSet<>();
    for (WebElement link : driver.findElements(By.cssSelector("tbody a[href^='" + schedulesPath + "']"))) {
      ids.add(idAfter(schedulesPath, link.getDomAttribute("href")));
    }
    return List.copyOf(ids);
  }

  /** Like {@link #awaitWorkflowIdsShown}, on the Schedules page. */
  public List<String> awaitScheduleIdsShown(Predicate<? super List<String>> until, Duration timeout) {
    return awaitShown(until, timeout, this::scheduleIdsShown, this::awaitSchedules);
  }

  private List<String> awaitShown(Predicate<? super List<String>> until, Duration timeout,
      Supplier<List<String>> shown, Runnable awaitLoaded) {
    Instant deadline = Instant.now().plus(timeout);
    List<String> ids = shown.get();
    while (!until.test(ids) && Instant.now().isBefore(deadline)) {
      pause(REFRESH_PAUSE);
      browser.driver().navigate().refresh();
      awaitLoaded.run();
      ids = shown.get();
    }
    return ids;
  }

  /** The id in {@code <prefix><encoded id>[/…][?…]}, decoded as the UI encoded it (encodeURIComponent). */
  static String idAfter(String prefix, String href) {
    String rest = href.substring(href.indexOf(prefix) + prefix.length());
    int end = rest.length();
    for (char delimiter : new char[] {'/', '?', '#'}) {
      int at = rest.indexOf(delimiter);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    return URLDecoder.decode(rest.substring(0, end).replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** One path segment, percent-encoded (the UI decodes it with decodeURIComponent). */
  static String encodePathSegment(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Web UI", e);
    }
  }
}
