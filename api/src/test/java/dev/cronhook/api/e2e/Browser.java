package dev.cronhook.api.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven by Selenium, from the Debian packages {@code chromium} and {@code chromium-driver}.
 * When they are missing the test fails, naming them: a dashboard test that skips would let a broken page land.
 */
final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Duration WAIT = Duration.ofSeconds(15);

    final ChromeDriver driver;
    private final Path profile;

    Browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("browser tests need " + CHROMIUM + " and " + DRIVER
                    + " (Debian: apt-get install chromium chromium-driver)");
        }
        try {
            profile = Files.createTempDirectory("cronhook-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // No background traffic: the machine's network is closed and the tests need none of it.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString())).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    void open(String url) {
        driver.get(url);
    }

    WebDriverWait waiting() {
        // The pages redraw as they poll: an element read a moment ago may have been replaced.
        WebDriverWait wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** Waits for an element shown on the page. */
    WebElement await(By by) {
        return waiting().until(d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** Waits until the text of an element (its textContent) equals {@code text}. */
    void awaitText(By by, String text) {
        waiting().withMessage(() -> by + " to read \"" + text + "\"; it reads "
                        + driver.findElements(by).stream().map(this::text).toList())
                .until(d -> d.findElements(by).stream().anyMatch(e -> text.equals(text(e))));
    }

    /** Waits until {@code condition} holds, re-reading the page each time. */
    void waitingFor(java.util.function.BooleanSupplier condition, String what) {
        waiting().withMessage(what).until(d -> condition.getAsBoolean());
    }

    String text(WebElement element) {
        return (String) js().executeScript("return arguments[0].textContent", element);
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /** Saves what the window shows as target/e2e/screenshots/{name}.png (the README's pictures come from here). */
    void screenshot(String name) {
        try {
            Path folder = Files.createDirectories(Path.of("target", "e2e", "screenshots"));
            Files.write(folder.resolve(name + ".png"), driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves the page's DOM and location as target/e2e/screenshots/{name}.html. */
    void savePage(String name) {
        try {
            Path folder = Files.createDirectories(Path.of("target", "e2e", "screenshots"));
            Files.writeString(folder.resolve(name + ".html"), "<!-- " + driver.getCurrentUrl() + " -->\n"
                    + driver.getPageSource());
        } catch (IOException | RuntimeException e) {
            // the screenshot is the main record; a page that cannot be read is left out
        }
    }

    Object script(String script, Object... args) {
        return js().executeScript(script, args);
    }

    private JavascriptExecutor js() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
