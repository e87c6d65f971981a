package dev.ccc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium goes the user's way through the app: logs in, creates a workspace and a
 * session, starts it, types into two tabs, reloads the page, ends a tab and renames the session;
 * the text is read back from the page. And an admin's: stopping another user's session, then
 * deleting it and its workspace. And a user's way to the two-factor QR code. Every page runs under
 * the api-service's Content-Security-Policy: any violation the browser reports on its console fails
 * the test. Debian's {@code chromium} and {@code chromium-driver} must be installed ({@code
 * .ci/run} installs them); outside CI the test is skipped when they are not.
 */
@ExtendWith(LocalStack.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrowserTerminalTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String ACTIVE_TAB = "[data-testid=tab][aria-selected=true]";
  private static final String ACTIVE_TERMINAL = "[data-testid=terminal][data-active=true]";

  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void startBrowser() throws Exception {
    startBrowser(false);
  }

  /** Chromium at a desktop's size, or as a phone: 390×844, touch, device pixel ratio 3. */
  private void startBrowser(boolean phone) throws Exception {
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
    if (phone) {
      options.setExperimentalOption(
          "mobileEmulation",
          Map.of(
              "deviceMetrics",
              Map.of("width", 390, "height", 844, "pixelRatio", 3.0, "touch", true),
              "userAgent",
              "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
                  + " Chrome/120.0 Mobile Safari/537.36"));
    }
    // The console, where Chromium reports every Content-Security-Policy violation.
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterEach
  void stopBrowser() {
    if (browser == null) {
      return;
    }
    try {
      List<String> violations =
          browser.manage().logs().get(LogType.BROWSER).getAll().stream()
              .map(LogEntry::getMessage)
              .filter(message -> message.contains("Content Security Policy"))
              .toList();
      assertEquals(List.of(), violations, "the page broke its Content-Security-Policy");
    } finally {
      browser.quit();
    }
  }

  @Test
  void sessionTabsKeepTheirOutputAcrossAReload() {
    LocalStack stack = LocalStack.get();
    browser.get(stack.apiUrl() + "/");
    // The DOM renderer puts the screen's text into the page, where the test can read it.
    ((JavascriptExecutor) browser).executeScript("localStorage.setItem('ccc.renderer', 'dom')");
    browser.navigate().refresh();

    logIn();
    createWorkspace("browser-test");
    startNewSession("main");

    typeInActiveTab("echo hello");
    awaitLineInActiveTab("hello");
    String firstTab = activeTabId();

    click("[data-testid=new-tab]");
    wait.until(page -> !activeTabId().equals(firstTab) && activeTabAttached());
    String secondTab = activeTabId();
    // The shell computes the answer, so it cannot be the echo of the typed line.
    typeInActiveTab("echo second-$((20+1))");
    awaitLineInActiveTab("second-21");

    browser.navigate().refresh();

    // The refresh token logs the page back in; the hash brings back the session and its tab.
    wait.until(page -> tabIds().equals(List.of(firstTab, secondTab)) && activeTabAttached());
    assertEquals(secondTab, activeTabId());
    awaitLineInActiveTab("second-21");
    browser
        .findElement(By.cssSelector("[data-testid=tab][data-terminal-id='" + firstTab + "']"))
        .click();
    wait.until(page -> activeTabId().equals(firstTab) && activeTabAttached());
    awaitLineInActiveTab("hello");
    assertTrue(screenLines().stream().anyMatch(line -> line.contains("echo hello")));

    // A running tab ends on request, its shell with it; the other runs on.
    click("[data-testid=end-tab]");
    click("[data-testid=end-tab-confirm]");
    wait.until(page -> tabIds().equals(List.of(secondTab)) && activeTabAttached());

    // A tab's name is the server's, for every viewer: it survives a reload.
    click("[data-testid=rename-tab]");
    browser.findElement(By.cssSelector("[data-testid=tab-rename] input")).sendKeys("build ✓\n");
    wait.until(page -> activeTabLabel().equals("build ✓"));
    browser.navigate().refresh();
    wait.until(page -> activeTabAttached() && activeTabLabel().equals("build ✓"));

    click("[data-testid=session-title]");
    WebElement name = browser.findElement(By.cssSelector("[data-testid=session-rename] input"));
    name.clear();
    name.sendKeys("renamed\n");
    wait.until(
        page ->
            page.findElement(By.cssSelector("[data-testid=session-title]"))
                .getText()
                .equals("renamed"));
  }

  @Test
  void aTabThatRingsTheBellOutOfSightSaysItNeedsYouAndItsNoticeLeadsThere() {
    LocalStack stack = LocalStack.get();
    browser.get(stack.apiUrl() + "/");
    logIn();
    createWorkspace("status-test");
    startNewSession("bell");
    String first = activeTabId();

    typeInActiveTab("sleep 8; printf 'tests passed\\a'");
    click("[data-testid=new-tab]");
    wait.until(page -> !activeTabId().equals(first) && activeTabAttached());

    wait.until(
        page ->
            !page.findElements(
                    By.cssSelector(
                        "[data-testid=tab][data-terminal-id='"
                            + first
                            + "'] [data-testid=activity][data-activity=waiting]"))
                .isEmpty());
    click("[data-testid=notice] a");
    wait.until(page -> activeTabId().equals(first) && activeTabAttached());
    assertTrue(browser.findElements(By.cssSelector("[data-testid=notice]")).isEmpty());
  }

  /**
   * On a phone the key bar drives what the on-screen keyboard cannot: its sticky Ctrl, then "c"
   * typed on the keyboard, interrupts {@code sleep}. While the gateway restarts, an overlay covers
   * the terminal saying that keys are not sent; afterwards the terminal works again.
   */
  @Test
  void onAPhoneTheKeyBarInterruptsAProgramAndALostConnectionIsShownOverTheTerminal()
      throws Exception {
    browser.quit();
    startBrowser(true);
    LocalStack stack = LocalStack.get();
    browser.get(stack.apiUrl() + "/");
    ((JavascriptExecutor) browser).executeScript("localStorage.setItem('ccc.renderer', 'dom')");
    browser.navigate().refresh();
    logIn();
    createWorkspace("phone-test");
    startNewSession("phone");

    typeInActiveTab("sleep 100");
    click(ACTIVE_TERMINAL + " [data-testid=key-ctrl]");
    wait.until(
        page ->
            "once"
                .equals(
                    page.findElement(By.cssSelector(ACTIVE_TERMINAL + " [data-testid=key-ctrl]"))
                        .getDomAttribute("data-mode")));
    browser.findElement(By.cssSelector(ACTIVE_TERMINAL + " textarea")).sendKeys("c");
    // Were sleep still running, this line would wait for it instead of printing.
    typeInActiveTab("echo after-$((2+3))");
    awaitLineInActiveTab("after-5");

    CompletableFuture<Void> restarted =
        CompletableFuture.runAsync(
            () -> {
              try {
                stack.restart("ws-gateway");
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            });
    wait.until(
        page -> !page.findElements(By.cssSelector("[data-testid=disconnected-overlay]")).isEmpty());
    restarted.get(90, TimeUnit.SECONDS);
    wait.until(
        page ->
            page.findElements(By.cssSelector("[data-testid=disconnected-overlay]")).isEmpty()
                && activeTabAttached());
    typeInActiveTab("echo back-$((3*3))");
    awaitLineInActiveTab("back-9");
  }

  /**
   * A program asks the terminal what it is, where its cursor is, its colours and a mode; the page
   * answers live. After a reload the page replays those queries: its terminal answers them again,
   * but nothing of that may reach the shell, which by then runs something else.
   */
  @Test
  void aReloadReplaysQueriesWithoutAnsweringThem() {
    LocalStack stack = LocalStack.get();
    browser.get(stack.apiUrl() + "/");
    ((JavascriptExecutor) browser).executeScript("localStorage.setItem('ccc.renderer', 'dom')");
    browser.navigate().refresh();
    logIn();
    createWorkspace("queries");
    startNewSession("queries");

    // The live page answers; read takes the answers off the terminal so the shell never sees them.
    typeInActiveTab(
        "stty -echo; printf '\\033[6n\\033[c\\033[>c\\033[5n\\033]11;?\\007\\033[?2004$p';"
            + " read -r -t 2 -d '' live; stty echo; echo \"live answers: $((${#live} > 0))\"");
    awaitLineInActiveTab("live answers: 1");
    // From here every byte that reaches the terminal is counted, until a tilde.
    typeInActiveTab(
        "stty raw -echo; IFS= read -r -d '~' got; stty sane;"
            + " echo \"bytes before the tilde: $((${#got} + 0))\"");

    browser.navigate().refresh();
    wait.until(page -> activeTabAttached());
    awaitLineInActiveTab("live answers: 1");
    browser.findElement(By.cssSelector(ACTIVE_TERMINAL + " textarea")).sendKeys("~");
    awaitLineInActiveTab("bytes before the tilde: 0");
  }

  /**
   * "+" opens a tab of the profile chosen beside it; the real Claude Code, unable to reach
   * Anthropic here, exits; its tab says so with its code and relaunches it continuing its
   * conversation.
   */
  @Test
  void anAgentTabThatEndedRelaunchesContinuingItsConversation() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/claude"))
            || Files.isExecutable(Path.of("/usr/local/bin/claude")),
        "Claude Code is not installed");
    LocalStack stack = LocalStack.get();
    browser.get(stack.apiUrl() + "/");
    ((JavascriptExecutor) browser).executeScript("localStorage.setItem('ccc.renderer', 'dom')");
    browser.navigate().refresh();
    logIn();
    createWorkspace("agents");
    startNewSession("agents");
    String shellTab = activeTabId();

    new Select(browser.findElement(By.cssSelector("[data-testid=new-tab-profile]")))
        .selectByValue("claude");
    click("[data-testid=new-tab]");
    wait.until(page -> !activeTabId().equals(shellTab));
    String agentTab = activeTabId();
    wait.until(
        page ->
            page.findElement(By.cssSelector("[data-testid=tab-ended]"))
                .getText()
                .contains("exited with code"));
    click("[data-testid=relaunch-tab]");

    // In place: the same tab, its first run's output above the marker line.
    AgentTabsEndToEndTest.awaitClaudeContinuing(-1);
    assertEquals(List.of(shellTab, agentTab), tabIds());
    wait.until(
        page -> screenLines().stream().anyMatch(line -> line.strip().startsWith("── relaunched ")));

    // Stopped and deleted from its own page (the admin's running sessions count against a quota
    // the other tests share), which leads back to the workspace.
    click("[data-testid=stop-session]");
    click("[data-testid=stop-session-confirm]");
    click("[data-testid=delete-session]");
    click("[data-testid=delete-session-confirm]");
    wait.until(page -> page.getCurrentUrl().contains("#/workspaces/"));
  }

  @Test
  void anAdminStopsAnotherUsersSessionAndCleansUpTheirWorkspace() throws Exception {
    LocalStack stack = LocalStack.get();
    String username = "bob-" + UUID.randomUUID().toString().substring(0, 8);
    ApiClient.loginAsAdmin(stack).createUser(username, "bob-password-1234");
    ApiClient bob = ApiClient.login(stack, username, "bob-password-1234");
    String workspace = bob.createWorkspace("bob's");
    String session = bob.createSession(workspace, "bob's session");
    bob.startSession(session, 80, 24);

    browser.get(stack.apiUrl() + "/#/admin");
    logIn();

    String item = "[data-testid=everyones-sessions] [data-session-id='" + session + "']";
    wait.until(page -> page.findElement(By.cssSelector(item + " [data-state=running]")));
    assertEquals(
        username,
        browser.findElement(By.cssSelector(item + " [data-testid=session-owner]")).getText());
    // Only the owner opens a session.
    assertTrue(
        browser.findElements(By.cssSelector(item + " [data-testid=open-session]")).isEmpty());
    click(item + " [data-testid=stop-session]");
    click(item + " [data-testid=stop-session-confirm]");
    wait.until(page -> page.findElement(By.cssSelector(item + " [data-state=idle]")));
    assertEquals("idle", bob.session(session).getString("state"));

    String workspaceItem =
        "[data-testid=everyones-workspaces] [data-workspace-id='" + workspace + "']";
    assertEquals(
        username,
        browser
            .findElement(By.cssSelector(workspaceItem + " [data-testid=workspace-owner]"))
            .getText());
    // A workspace with sessions cannot be deleted, so it offers no Delete until they are gone.
    assertTrue(
        browser
            .findElements(By.cssSelector(workspaceItem + " [data-testid=delete-workspace]"))
            .isEmpty());
    click(item + " [data-testid=delete-session]");
    click(item + " [data-testid=delete-session-confirm]");
    click(workspaceItem + " [data-testid=delete-workspace]");
    click(workspaceItem + " [data-testid=delete-workspace-confirm]");
    wait.until(page -> page.findElements(By.cssSelector(workspaceItem)).isEmpty());
  }

  @Test
  void aUserSetsUpTwoFactorLoginFromAQrCode() throws Exception {
    LocalStack stack = LocalStack.get();
    String username = "carol-" + UUID.randomUUID().toString().substring(0, 8);
    ApiClient.loginAsAdmin(stack).createUser(username, "carol-password-1234");

    browser.get(stack.apiUrl() + "/#/account");
    logIn(username, "carol-password-1234");
    click("[data-testid=two-factor] [data-testid=totp-enable]");

    // The code is a data: image, drawn in the browser; a policy without data: would leave it blank.
    wait.until(
        page ->
            (Boolean)
                ((JavascriptExecutor) page)
                    .executeScript(
                        "const qr = document.querySelector('[data-testid=two-factor] img.qr');"
                            + " return qr !== null && qr.complete && qr.naturalWidth > 0;"));
  }

  private void logIn() {
    logIn(LocalStack.ADMIN, LocalStack.ADMIN_PASSWORD);
  }

  private void logIn(String username, String password) {
    wait.until(page -> page.findElement(By.name("username"))).sendKeys(username);
    browser.findElement(By.name("password")).sendKeys(password);
    click("[data-testid=login-submit]");
  }

  private void createWorkspace(String name) {
    click("[data-testid=new-workspace]");
    browser.findElement(By.cssSelector("[data-testid=workspace-name]")).sendKeys(name);
    click("[data-testid=create-workspace]");
    wait.until(
        page ->
            !page.findElements(
                    By.cssSelector(
                        "[data-testid=workspace-details] [data-testid=state][data-state=ready]"))
                .isEmpty());
  }

  private void startNewSession(String name) {
    browser.findElement(By.cssSelector("[data-testid=session-name]")).sendKeys(name);
    click("[data-testid=create-session]");
    click("[data-testid=session] [data-testid=start-session]");
    wait.until(page -> page.getCurrentUrl().contains("#/sessions/") && activeTabAttached());
  }

  private void click(String css) {
    wait.until(page -> page.findElement(By.cssSelector(css))).click();
  }

  private void typeInActiveTab(String command) {
    browser.findElement(By.cssSelector(ACTIVE_TERMINAL + " textarea")).sendKeys(command + "\n");
  }

  private void awaitLineInActiveTab(String text) {
    wait.until(page -> screenLines().stream().anyMatch(line -> line.strip().equals(text)));
  }

  private String activeTabId() {
    List<WebElement> active = browser.findElements(By.cssSelector(ACTIVE_TAB));
    return active.isEmpty() ? "" : active.get(0).getDomAttribute("data-terminal-id");
  }

  private String activeTabLabel() {
    return browser.findElement(By.cssSelector(ACTIVE_TAB + " [data-testid=tab-label]")).getText();
  }

  private boolean activeTabAttached() {
    return !browser.findElements(By.cssSelector(ACTIVE_TAB + "[data-state=attached]")).isEmpty();
  }

  private List<String> tabIds() {
    return browser.findElements(By.cssSelector("[data-testid=tab]")).stream()
        .map(tab -> tab.getDomAttribute("data-terminal-id"))
        .toList();
  }

  /** The active tab's rows; a hidden tab's text is not visible, so Selenium would read nothing. */
  private List<String> screenLines() {
    return browser.findElements(By.cssSelector(ACTIVE_TERMINAL + " .xterm-rows > div")).stream()
        .map(WebElement::getText)
        .toList();
  }
}
