package dev.cronhook.api.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium against the packaged server: sign in, create a job through the form (a
 * bad cron answered beside the field, a good one previewed), watch it run without a reload, pause and resume it, an
 * incident's timeline and its resolution, a read key without write controls, and user text shown as text.
 */
class DashboardIT extends AgainstPackagedServer {
    private Browser browser;

    /** A failed test leaves the page as it was: a screenshot and its DOM beside the server's logs. */
    @RegisterExtension
    final TestWatcher keepThePage = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                String name = "failed-" + context.getRequiredTestMethod().getName();
                browser.screenshot(name);
                browser.savePage(name);
            }
        }
    };

    @Override
    String serverName() {
        return "dashboard";
    }

    @BeforeAll
    void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.open(server.baseUri() + "/");
        browser.script("sessionStorage.clear()");
    }

    private void signIn(String key) {
        browser.open(server.baseUri() + "/#/jobs");
        WebElement field = browser.await(By.id("api-key"));
        field.sendKeys(key);
        field.submit();
        browser.await(By.cssSelector("[data-test=who]"));
    }

    private void go(String fragment) {
        browser.script("location.hash = arguments[0]", fragment);
    }

    @Test
    void aJobMadeInTheFormRunsAndItsExecutionsAppearWithoutAReload() {
        signIn(ADMIN_KEY);
        assertEquals("admin", browser.text(browser.await(By.cssSelector("[data-test=scope]"))));
        assertNull(browser.script("return document.cookie || null"), "no key in a cookie");
        assertEquals(ADMIN_KEY, browser.script("return sessionStorage.getItem('cronhook.apiKey')"));

        browser.await(By.cssSelector("[data-test=new-job]")).click();
        String path = "/dash/" + UUID.randomUUID();
        browser.await(By.name("name")).sendKeys("nightly report from the dashboard");
        WebElement cron = browser.await(By.name("cron"));
        cron.sendKeys("61 * * * *");
        browser.waiting().withMessage("the cron error beside the field").until(d -> !browser.text(
                d.findElement(By.cssSelector("[data-field-error=cron]"))).isBlank());
        assertTrue(browser.text(browser.driver.findElement(By.cssSelector("[data-field-error=cron]"))).contains("61"),
                "the scheduler's own message names the bad value");
        assertTrue(browser.all(By.cssSelector("[data-test=cron-preview] li")).isEmpty(), "no runs for a bad cron");

        cron.clear();
        cron.sendKeys("*/2 * * * * *");
        browser.waitingFor(() -> browser.all(By.cssSelector("[data-test=cron-preview] li")).size() == 5,
                "five next runs previewed");
        browser.awaitText(By.cssSelector("[data-test=cron-words]"), "Every 2 seconds");
        assertTrue(browser.text(browser.driver.findElement(By.cssSelector("[data-field-error=cron]"))).isBlank(),
                "the error went away");
        WebElement zone = browser.driver.findElement(By.name("timezone"));
        zone.clear();
        zone.sendKeys("UTC");
        WebElement url = browser.driver.findElement(By.name("url"));
        url.sendKeys("not a url");
        browser.driver.findElement(By.cssSelector("[data-test=save]")).click();
        browser.waitingFor(() -> !browser.text(browser.driver.findElement(By.cssSelector("[data-field-error=url]")))
                .isBlank(), "the API's refusal of the URL beside the URL field");
        assertTrue(browser.all(By.cssSelector("[data-job-id]")).isEmpty() && api.get("/v1/jobs?q=nightly%20report")
                .expect(200).get("data").isEmpty(), "nothing was made");
        url.clear();
        url.sendKeys(target.url(path));
        browser.driver.findElement(By.cssSelector("[data-test=save]")).click();

        browser.awaitText(By.cssSelector("[data-test=job-name]"), "nightly report from the dashboard");
        assertNotNull(browser.await(By.cssSelector("[data-test=signing-secret]")), "the secret shown once");
        String jobId = ((String) browser.script("return location.hash")).substring("#/jobs/".length());
        JsonNode job = api.job(jobId);
        assertEquals("*/2 * * * * *", job.get("cron").asText());
        assertEquals("UTC", job.get("timezone").asText());
        assertEquals(target.url(path), job.get("url").asText());

        // A marker on the window survives only if the page is never reloaded.
        browser.script("window.stillTheSamePage = true");
        target.awaitRequests(path, 1, Duration.ofSeconds(10));
        browser.waitingFor(() -> !browser.all(By.cssSelector("[data-test=executions] tr[data-status=succeeded]"))
                .isEmpty(), "a succeeded execution listed on the job's page");
        assertEquals(Boolean.TRUE, browser.script("return window.stillTheSamePage === true"), "no reload happened");
        browser.waitingFor(() -> browser.text(browser.driver.findElement(By.cssSelector("[data-test=chart-summary]")))
                .contains("succeeded"), "the chart counts the runs");
        browser.screenshot("job");

        browser.await(By.cssSelector("[data-test=pause]")).click();
        browser.awaitText(By.cssSelector("[data-test=job-status]"), "paused");
        assertFalse(api.job(jobId).get("enabled").asBoolean(), "paused in the API too");
        browser.await(By.cssSelector("[data-test=resume]")).click();
        browser.awaitText(By.cssSelector("[data-test=job-status]"), "active");
        assertTrue(api.job(jobId).get("enabled").asBoolean(), "resumed in the API too");
        api.post("/v1/jobs/" + jobId + "/pause").expect(200);
        go("#/jobs");
        browser.await(By.cssSelector("[data-job-id='" + jobId + "']"));
        browser.screenshot("jobs");
    }

    @Test
    void anIncidentsTimelineOpensAndItIsResolvedFromThePage() {
        String path = "/failing/" + UUID.randomUUID();
        target.stub(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500).withBody("down")));
        String jobId = api.post("/v1/jobs", Api.object().put("name", "failing export").put("url", target.url(path))
                .put("cron", "* * * * * *")).expect(201).get("id").asText();
        JsonNode incident = Poll.until("an incident for the failing job", Duration.ofSeconds(15),
                () -> incidentOf(jobId), found -> found != null);
        api.post("/v1/jobs/" + jobId + "/pause").expect(200);

        signIn(ADMIN_KEY);
        go("#/incidents");
        WebElement row = browser.await(By.cssSelector("[data-incident-id='" + incident.get("id").asText() + "']"));
        row.findElement(By.cssSelector("a")).click();
        browser.waitingFor(() -> !browser.all(By.cssSelector("[data-test=timeline] li")).isEmpty(),
                "the incident's timeline");
        assertEquals("opened", browser.all(By.cssSelector("[data-test=timeline] li")).get(0).getDomAttribute("data-type"));
        browser.await(By.cssSelector("[data-test=resolve]")).click();
        browser.awaitText(By.cssSelector("[data-test=incident-status]"), "resolved");
        assertEquals("resolved", api.get("/v1/incidents/" + incident.get("id").asText()).expect(200)
                .get("status").asText());
        browser.waitingFor(() -> browser.all(By.cssSelector("[data-test=timeline] li")).stream()
                .anyMatch(li -> "resolved".equals(li.getDomAttribute("data-type"))), "the resolution on the timeline");
        assertTrue(browser.all(By.cssSelector("[data-test=resolve]")).isEmpty(), "nothing left to resolve");
    }

    @Test
    void aReadKeySeesEverythingButNoWriteControls() {
        String jobId = api.post("/v1/jobs", Api.object().put("name", "seen by a reader").put("url", target.url("/r"))
                .put("cron", "0 3 * * *")).expect(201).get("id").asText();
        String readKey = api.post("/v1/api-keys", Api.object().put("name", "wallboard").put("scope", "read"))
                .expect(201).get("key").asText();

        signIn(readKey);
        assertEquals("read", browser.text(browser.await(By.cssSelector("[data-test=scope]"))));
        browser.await(By.cssSelector("[data-job-id='" + jobId + "']"));
        assertTrue(browser.all(By.cssSelector("[data-test=new-job]")).isEmpty(), "no New job for a read key");

        go("#/jobs/" + jobId);
        browser.awaitText(By.cssSelector("[data-test=job-name]"), "seen by a reader");
        browser.waitingFor(() -> browser.all(By.cssSelector("[data-test=next-runs] li")).size() == 5,
                "the next runs are shown to a reader");
        for (String control : List.of("run-now", "pause", "resume", "edit", "rotate-secret", "delete")) {
            assertTrue(browser.all(By.cssSelector("[data-test=" + control + "]")).isEmpty(), control + " is not offered");
        }
        for (String page : List.of("#/checks", "#/webhooks", "#/integrations", "#/silences", "#/api-keys")) {
            go(page);
            browser.await(By.cssSelector("main h1"));
            browser.waitingFor(() -> browser.all(By.cssSelector("main form")).isEmpty()
                    && browser.all(By.cssSelector("main button.danger")).isEmpty(), page + " has no write controls");
        }
    }

    @Test
    void aJobNamedLikeMarkupIsShownAsText() {
        String name = "<img src=x onerror=alert(1)>";
        String jobId = api.post("/v1/jobs", Api.object().put("name", name).put("url", target.url("/x"))
                .put("cron", "0 4 * * *")).expect(201).get("id").asText();

        signIn(ADMIN_KEY);
        WebElement cell = browser.await(By.cssSelector("[data-job-id='" + jobId + "'] td.name"));
        assertEquals(name, browser.text(cell), "the cell shows the characters");
        assertEquals(0L, browser.script("return document.querySelectorAll('main img').length"),
                "no img element came from the name");
        assertEquals(0L, browser.script("return arguments[0].querySelectorAll('*').length - 1", cell),
                "the cell holds the link and its text only");

        go("#/jobs/" + jobId);
        browser.awaitText(By.cssSelector("[data-test=job-name]"), name);
        assertEquals(0L, browser.script("return document.querySelectorAll('h1 img, main img').length"));
    }

    @Test
    void pagesAllowNoInlineScriptAndTheApiIsDescribed() {
        for (String page : List.of("/", "/docs", "/ui/js/app.js")) {
            Api.Reply reply = api.withKey(null).get(page);
            assertEquals(200, reply.status(), page);
            String policy = reply.headers().firstValue("Content-Security-Policy").orElse("");
            String scripts = java.util.Arrays.stream(policy.split(";")).map(String::strip)
                    .filter(directive -> directive.startsWith("script-src ")).findFirst().orElse("");
            assertEquals("script-src 'self'", scripts, page + " runs scripts from this server only, none inline");
            assertFalse(policy.contains("http:") || policy.contains("https:"), "no other origin: " + policy);
        }
        // A browser revalidates what it has: a script whose ETag still matches is a 304, not an error.
        Api.Reply script = api.withKey(null).get("/ui/js/app.js");
        String etag = script.headers().firstValue("ETag").orElseThrow();
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<String> again = client.send(java.net.http.HttpRequest.newBuilder(
                    api.uri("/ui/js/app.js")).header("If-None-Match", etag).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(304, again.statusCode(), "revalidated");
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        String index = api.withKey(null).get("/").body();
        assertFalse(index.matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), "every script of the page is a file");
        JsonNode description = api.withKey(null).get("/openapi.json").json();
        assertEquals("3.1.0", description.get("openapi").asText());
        assertTrue(description.get("paths").has("/v1/jobs/{id}"));
    }

    private JsonNode incidentOf(String jobId) {
        for (JsonNode incident : api.get("/v1/incidents?limit=500").expect(200).get("data")) {
            if (incident.get("dedup_key").asText().equals(jobId)) {
                return incident;
            }
        }
        return null;
    }

    private static void assertNull(Object value, String message) {
        assertEquals(null, value, message);
    }
}
