package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium logs in and types into the terminal; the text is read back from the
 * page. Debian's {@code chromium} and {@code chromium-driver} must be installed ({@code .ci/run}
 * installs them); outside CI the test is skipped when they are not.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrowserTerminalTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private WebDriver browser;

  @BeforeEach
  void startBrowser() throws Exception {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort("Chromium is not installed: apt-get install chromium chromium-driver");
    }
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM.toFile())
            .addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("ccc-chromium"),
                "--window-size=1200,800");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void logsInTypesEchoHelloAndReadsHelloFromThePage() {
    LocalStack stack = LocalStack.get();
    browser.get(stack.apiUrl() + "/");
    // The DOM renderer puts the screen's text into the page, where the test can read it.
    ((JavascriptExecutor) browser).executeScript("localStorage.setItem('ccc.renderer', 'dom')");
    browser.navigate().refresh();

    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.until(page -> page.findElement(By.name("username"))).sendKeys(LocalStack.ADMIN);
    browser.findElement(By.name("password")).sendKeys(LocalStack.ADMIN_PASSWORD);
    browser.findElement(By.cssSelector("button[type=submit]")).click();

    wait.until(
        page ->
            page.findElements(
                        By.cssSelector("[data-testid=connection-status][data-state=connected]"))
                    .size()
                == 1);
    WebElement input = browser.findElement(By.cssSelector("[data-testid=terminal] textarea"));
    input.sendKeys("echo hello\n");

    wait.until(page -> screenLines(page).stream().anyMatch(line -> line.strip().equals("hello")));
    assertTrue(screenLines(browser).stream().anyMatch(line -> line.contains("echo hello")));
  }

  private static List<String> screenLines(WebDriver page) {
    return page.findElements(By.cssSelector("[data-testid=terminal] .xterm-rows > div")).stream()
        .map(WebElement::getText)
        .toList();
  }
}
