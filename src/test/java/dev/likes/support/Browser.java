package dev.likes.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chrome or Chromium, driven by Selenium through a chromedriver, both found on the machine:
 * the first of {@link #BROWSERS} and of {@link #DRIVERS} on the PATH (or set LIKES_TEST_BROWSER and
 * LIKES_TEST_CHROMEDRIVER). Where none is found and apt exists (Debian, Ubuntu), Debian's chromium and
 * chromium-driver are installed with it; elsewhere the tests fail with a message that says what to
 * install. Nothing is downloaded by Selenium itself.
 */
public final class Browser {

    static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome");
    static final List<String> DRIVERS = List.of("chromedriver");
    public static final Path ARTIFACTS = Path.of("target/browser");

    private static Path browser;
    private static Path driver;

    private Browser() {
    }

    /** Finds a browser and its driver, installing them with apt where there is none and apt is there. */
    public static synchronized void install() {
        if (browser != null) {
            return;
        }
        Optional<Path> foundBrowser = find("LIKES_TEST_BROWSER", BROWSERS);
        Optional<Path> foundDriver = find("LIKES_TEST_CHROMEDRIVER", DRIVERS);
        if ((foundBrowser.isEmpty() || foundDriver.isEmpty()) && Commands.onPath("apt-get").isPresent()) {
            run("apt-get", "update", "-qq");
            run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "chromium-driver");
            foundBrowser = find("LIKES_TEST_BROWSER", BROWSERS);
            foundDriver = find("LIKES_TEST_CHROMEDRIVER", DRIVERS);
        }
        if (foundBrowser.isEmpty() || foundDriver.isEmpty()) {
            fail("The browser tests need Chrome or Chromium and a matching chromedriver on the PATH (one of "
                    + BROWSERS + ", and chromedriver), or LIKES_TEST_BROWSER and LIKES_TEST_CHROMEDRIVER set to them. "
                    + (foundBrowser.isEmpty() ? "No browser found. " : "") + (foundDriver.isEmpty() ? "No chromedriver found." : ""));
        }
        browser = foundBrowser.get();
        driver = foundDriver.get();
    }

    public static WebDriver start() {
        install();
        try {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(browser.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                    "--disable-dev-shm-usage", "--window-size=900,700",
                    "--user-data-dir=" + Files.createTempDirectory("likes-chromium"));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                    .usingAnyFreePort().build();
            WebDriver webDriver = new ChromeDriver(service, options);
            webDriver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            return webDriver;
        } catch (IOException | RuntimeException e) {
            return fail("Headless Chrome did not start (" + browser + " with " + driver + "): " + e.getMessage(), e);
        }
    }

    /** The variable's path if set, else the first of {@code names} on the PATH. */
    private static Optional<Path> find(String variable, List<String> names) {
        String set = System.getenv(variable);
        if (set != null && !set.isBlank()) {
            return Optional.of(Path.of(set)).filter(Files::isExecutable);
        }
        return names.stream().map(Commands::onPath).flatMap(Optional::stream).findFirst();
    }


    /** Saves what the browser shows as target/browser/{name}.png. */
    public static void screenshot(WebDriver driver, String name) {
        try {
            Files.createDirectories(ARTIFACTS);
            Files.write(ARTIFACTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            process.getOutputStream().close();
            if (process.waitFor() != 0) {
                fail("'" + String.join(" ", command) + "' failed with exit code " + process.exitValue());
            }
        } catch (IOException e) {
            fail("Could not run '" + String.join(" ", command) + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("Interrupted while installing the browser");
        }
    }
}
