package io.pando.aggregator;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian Chromium driven by its chromedriver, for browser tests. Installs both with
 * apt-get when they are missing and the tests run as root; otherwise the test is skipped.
 */
public final class Chromium {
  private static final Path BROWSER = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  /** A new headless browser; skips the calling test when none can be had. */
  public static ChromeDriver start() {
    ensureInstalled();
    ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toString())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
            "--disable-gpu", "--window-size=1280,1600");
    // The page's console messages, so that tests can check it logged no error.
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static void ensureInstalled() {
    if (installed()) {
      return;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean apt = new File("/usr/bin/apt-get").canExecute();
    Assumptions.assumeTrue(root && apt, "no " + BROWSER + " or " + DRIVER + ", and they cannot"
        + " be installed here (needs root and apt-get): apt-get install chromium chromium-driver");
    try {
      Process p = new ProcessBuilder("apt-get", "install", "-y", "-q", "chromium",
          "chromium-driver").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
    } catch (java.io.IOException e) {
      // Reported below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Assumptions.assumeTrue(installed(), "apt-get install chromium chromium-driver failed;"
        + " install them to run this test");
  }

  private static boolean installed() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }
}
