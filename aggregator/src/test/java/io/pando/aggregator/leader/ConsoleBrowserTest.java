package io.pando.aggregator.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pando.aggregator.Chromium;
import io.pando.aggregator.Infra;
import io.pando.aggregator.Management;
import io.pando.aggregator.Tasks;
import io.pando.aggregator.Waits;
import io.pando.aggregator.datastore.Datastore;
import io.pando.aggregator.datastore.LeaseStore.ParkedJob;
import io.pando.aggregator.jobs.JobKind;
import io.pando.aggregator.task.TaskDefinition;
import io.pando.aggregator.task.TaskService;
import io.pando.client.DapClient;
import io.pando.client.DapTask;
import io.pando.dap.messages.Duration;
import io.pando.dap.messages.TaskId;
import io.pando.dap.messages.problem.DapProblemType;
import io.pando.vdaf.prio3.Prio3;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium against the running leader (real PostgreSQL
 * and Kafka, a fake helper): the page takes the admin token, lists the tasks, plots a histogram
 * collected through its collect panel with exactly the known aggregate, and its retry button
 * makes a parked job run again. In this package for {@link FakeHelper}.
 */
@QuarkusTest
@TestProfile(ConsoleTestProfile.class)
@WithTestResource(Infra.class)
class ConsoleBrowserTest {
  private static final long PRECISION = 3600;
  private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(30);
  private static FakeHelper helper;
  private static ChromeDriver browser;

  @Inject TaskService tasks;
  @Inject Datastore datastore;

  @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
  int port;

  @BeforeAll
  static void start() throws Exception {
    helper = new FakeHelper();
    browser = Chromium.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (helper != null) {
      helper.close();
    }
  }

  /** A leader task with the fake helper as its peer: an upload client and the helper's side. */
  record Setup<M>(DapClient<M> client, FakeHelper.HelperTask helper) {}

  private <M> Setup<M> leaderTask(TaskId id, Map<String, Object> vdafJson, Prio3<M, ?> vdaf) {
    TaskDefinition d = Tasks.leader(id, vdafJson, helper.uri().toString());
    tasks.put(d);
    FakeHelper.HelperTask ht = helper.add(id, vdaf, d.vdafVerifyKey(), PRECISION);
    return new Setup<>(new DapClient<>(new DapTask<>(id,
        URI.create("http://localhost:" + port + "/"), helper.uri(), vdaf,
        Duration.ofSeconds(PRECISION))), ht);
  }

  private static String console() {
    return "http://localhost:" + Management.port() + "/console";
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, WAIT);
  }

  private static void signIn() {
    browser.get(console());
    assertEquals(console() + "/", browser.getCurrentUrl(), "/console redirects to /console/");
    js("sessionStorage.clear();"); // a new tab's state: no token yet
    browser.navigate().refresh();
    WebElement token = waiting().until(ExpectedConditions.visibilityOfElementLocated(
        By.id("token")));
    token.sendKeys(Infra.ADMIN_TOKEN);
    browser.findElement(By.cssSelector("#token-form button")).click();
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("tasks")));
    assertFalse(browser.getCurrentUrl().contains(Infra.ADMIN_TOKEN));
  }

  private static void selectTask(TaskId id) {
    waiting().until(ExpectedConditions.elementToBeClickable(
        By.cssSelector("#tasks tr[data-task-id='" + id.toBase64Url() + "']"))).click();
    waiting().until(ExpectedConditions.textToBe(By.id("task-id"), id.toBase64Url()));
  }

  @Test
  void theCollectPanelPlotsTheCollectedHistogram() throws Exception {
    TaskId id = TaskId.random();
    DapClient<Integer> client = leaderTask(id, Map.of("type", "Prio3Histogram", "length", 4,
        "chunk_length", 2), Prio3.histogram(4, 2)).client();
    long bucket = (Instant.now().getEpochSecond() / PRECISION - 1) * PRECISION;
    for (int m : List.of(0, 1, 1, 3, 3, 3)) {
      client.upload(m, Instant.ofEpochSecond(bucket + 10));
    }
    Path keyFile = Files.createTempFile("collector-key", ".json");
    Files.writeString(keyFile, "{\"config\":\"" + Tasks.b64(Tasks.COLLECTOR_KEY.config().encode())
        + "\",\"private_key\":\"" + Tasks.b64(Tasks.COLLECTOR_KEY.privateKey().reveal())
        + "\"}");
    try {
      signIn();
      selectTask(id);
      assertEquals("Prio3Histogram (length=4, chunk_length=2)", browser.findElement(
          By.cssSelector("#tasks tr[data-task-id='" + id.toBase64Url() + "'] td:nth-child(3)"))
          .getText());
      // The batch appears with its progress toward the minimum batch size.
      waiting().until(d -> d.findElements(By.cssSelector("#batches tr[data-batch] td:nth-child(2)"))
          .stream().anyMatch(e -> e.getText().equals("6")));

      browser.findElement(By.id("collector-token")).sendKeys(Tasks.COLLECTOR_TOKEN);
      browser.findElement(By.id("collector-key")).sendKeys(keyFile.toString());
      js("document.getElementById('interval-start').value = arguments[0];",
          Instant.ofEpochSecond(bucket).toString().replace("Z", ""));
      browser.findElement(By.id("interval-duration")).clear();
      browser.findElement(By.id("interval-duration")).sendKeys(Long.toString(PRECISION));
      browser.findElement(By.cssSelector("#collect-form button")).click();
      waiting().until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("#result-values td[data-value]")));

      List<Long> shown = browser.findElements(By.cssSelector("#result-values td[data-value]"))
          .stream().map(e -> Long.parseLong(e.getAttribute("data-value"))).toList();
      assertEquals(List.of(1L, 2L, 0L, 3L), shown, "the values table");
      assertEquals(List.of(1L, 2L, 0L, 3L), longs(js(
          "return pandoConsole.charts.result.data[1];")), "the bar chart's data");
      assertTrue(browser.findElement(By.id("result-summary")).getText().contains("6 reports"));
      // The tokens stay in this tab's storage and out of the page's address.
      assertEquals(Infra.ADMIN_TOKEN, js("return sessionStorage.getItem('pando.adminToken');"));
      assertNull(js("return localStorage.getItem('pando.adminToken');"));
      // The collector's token and key are not kept in the form after the request.
      assertEquals("", browser.findElement(By.id("collector-token")).getAttribute("value"));
      assertEquals("", browser.findElement(By.id("collector-key")).getAttribute("value"));
      assertNoPageErrors();
    } finally {
      Files.deleteIfExists(keyFile);
    }
  }

  @Test
  void theRetryButtonRunsAParkedJobAgain() throws Exception {
    TaskId id = TaskId.random();
    Setup<Boolean> s = leaderTask(id, Map.of("type", "Prio3Count"), Prio3.count());
    DapClient<Boolean> client = s.client();
    FakeHelper.HelperTask ht = s.helper();
    ht.refuse = DapProblemType.UNAUTHORIZED_REQUEST;
    client.upload(true, Instant.now().minusSeconds(5));
    client.upload(false, Instant.now().minusSeconds(5));
    Waits.until("the job is parked", 30, () -> !parked(id).isEmpty());
    ParkedJob p = parked(id).get(0);
    String jobId = Tasks.b64(p.job().jobId());

    signIn();
    selectTask(id);
    By row = By.cssSelector("#jobs tr.parked[data-job-id='" + jobId + "']");
    WebElement parkedRow = waiting().until(ExpectedConditions.visibilityOfElementLocated(row));
    assertEquals("aggregation", parkedRow.getAttribute("data-kind"));
    assertTrue(parkedRow.findElement(By.className("reason")).getText().contains("HTTP 403"));
    // Parked jobs come first.
    assertEquals(jobId, browser.findElement(By.cssSelector("#jobs tbody tr"))
        .getAttribute("data-job-id"));

    ht.refuse = null; // the operator fixed the helper's token
    parkedRow.findElement(By.className("retry")).click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
        "Retry of aggregation job " + jobId + " requested."));
    Waits.until("the job finishes", 30, () -> datastore.inTransaction("test",
        tx -> tx.aggregationJobs().jobs(id)).get(0).state().equals("FINISHED"));
    WebElement done = waiting().until(d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("#jobs tr[data-job-id='" + jobId
          + "']:not(.parked)"));
      return rows.isEmpty() ? null : rows.get(0);
    });
    assertEquals("FINISHED", done.findElement(By.className("state")).getText());
    assertTrue(done.findElements(By.className("retry")).isEmpty());
    assertTrue(parked(id).isEmpty());
    assertNoPageErrors();
  }

  @Test
  void theConsoleIsOnTheManagementPortOnlyAndItsDataNeedsTheToken() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(console() + "/"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("")
        .contains("default-src 'self'"));
    assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(console()
        + "/vendor/uPlot.iife.min.js")).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode(), "the charting library ships with the jar");
    for (String path : List.of("/console/", "/console/console.js", "/console")) {
      assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
          + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode(), path);
    }
    assertEquals(401, Management.management().when().get("/admin/console/tasks/"
        + TaskId.random().toBase64Url() + "/batches").statusCode());
  }

  private List<ParkedJob> parked(TaskId id) {
    return datastore.inTransaction("test",
        tx -> tx.leases().parked(JobKind.AGGREGATION.table(), 100)).stream()
        .filter(p -> p.job().taskId().equals(id)).toList();
  }

  /** The page logged no error (a failed script, a failed request) since the last check. */
  private static void assertNoPageErrors() {
    List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage).toList();
    assertEquals(List.of(), errors, "errors in the page's console");
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private static List<Long> longs(Object o) {
    return ((List<?>) o).stream().map(x -> ((Number) x).longValue()).toList();
  }
}
