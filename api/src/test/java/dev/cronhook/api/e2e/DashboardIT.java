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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

        // One more failure groups into it: the timeline grows on the open page, without a reload.
        int entries = browser.all(By.cssSelector("[data-test=timeline] li")).size();
        browser.script("window.stillTheSamePage = true");
        api.post("/v1/jobs/" + jobId + "/trigger").expect(202);
        browser.waitingFor(() -> browser.all(By.cssSelector("[data-test=timeline] li")).size() > entries,
                "the new occurrence on the timeline");
        assertEquals(Boolean.TRUE, browser.script("return window.stillTheSamePage === true"), "no reload happened");

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
        String webhookId = api.post("/v1/webhooks", Api.object().put("nickname", "ops").put("url", target.url("/wh"))
                .set("topics", Api.JSON.createArrayNode().add("*"))).expect(201).get("id").asText();
        String intake = api.post("/v1/integrations", Api.object().put("name", "queue alarms").put("type", "generic"))
                .expect(201).get("intake_url").asText();
        String incidentId = Api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(intake))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\": \"queue backed up\"}"))
                        .build(), "POST", "/hooks/…").expect(202).get("incident_id").asText();
        api.post("/v1/checks", Api.object().put("name", "backup").put("period_seconds", 3600)).expect(201);
        api.post("/v1/webhooks/" + webhookId + "/ping").expect(200);
        api.post("/v1/channels", Api.object().put("type", "webhook").put("url", target.url("/alerts"))).expect(201);
        api.post("/v1/silences", Api.object().put("ends_at", java.time.Instant.now().plusSeconds(600).toString())
                .put("comment", "planned work"))
                .expect(201);
        String readKey = api.post("/v1/api-keys", Api.object().put("name", "wallboard").put("scope", "read"))
                .expect(201).get("key").asText();

        signIn(readKey);
        assertEquals("read", browser.text(browser.await(By.cssSelector("[data-test=scope]"))));
        browser.await(By.cssSelector("[data-job-id='" + jobId + "']"));
        for (String page : List.of("/jobs", "/jobs/" + jobId, "/jobs/new", "/jobs/" + jobId + "/edit", "/executions",
                "/incidents", "/incidents/" + incidentId,
                "/checks", "/webhooks", "/webhooks/" + webhookId, "/integrations", "/silences", "/api-keys", "/nodes")) {
            go("#" + page);
            browser.await(By.cssSelector("main[data-page='" + page + "'][data-ready]"));
            assertEquals(List.of(), browser.all(By.cssSelector("main .write, main form")).stream()
                    .map(e -> e.getTagName() + " " + browser.text(e)).toList(), page + " offers a read key no change");
        }
        go("#/jobs/" + jobId);
        browser.waitingFor(() -> browser.all(By.cssSelector("[data-test=next-runs] li")).size() == 5,
                "the next runs are shown to a reader");
        go("#/checks");
        browser.await(By.cssSelector("main[data-page='/checks'][data-ready]"));
        assertTrue(browser.text(browser.await(By.cssSelector("[data-test=checks] tbody td:nth-child(6)")))
                .contains("admin keys only"), "a read key is not shown ping URLs");

        go("#/webhooks/" + webhookId);
        browser.await(By.cssSelector("[data-delivery-id]"));
        assertTrue(browser.all(By.cssSelector("main .write")).isEmpty(), "no Redeliver for a reader");
        go("#/integrations");
        browser.await(By.cssSelector("[data-test=channels] tbody tr"));
        assertTrue(browser.all(By.cssSelector("main .write")).isEmpty(), "no channel Delete for a reader");

        assertFalse(((String) browser.script("return location.href")).contains(readKey), "the key is not in the URL");
        assertEquals("", browser.script("return document.cookie"), "nor in a cookie");
        assertFalse(server.stdout().contains(readKey) || server.stderr().contains(readKey),
                "the key is not in the server's logs");
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
            assertEquals(etag, again.headers().firstValue("ETag").orElse(null), "the 304 names the ETag it matched");
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(200, api.withKey(null).get("/webjars/swagger-ui/swagger-ui-bundle.js").status());
        for (String notServed : List.of("/webjars/swagger-ui/index.html", "/webjars/swagger-ui/swagger-initializer.js",
                "/webjars/uplot/README.md", "/webjars/uplot/uPlot.d.ts", "/webjars/uplot/dist/uPlot.cjs.js")) {
            assertEquals(404, api.withKey(null).get(notServed).status(), notServed + " is not served");
        }
        String index = api.withKey(null).get("/").body();
        assertFalse(index.matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), "every script of the page is a file");
        JsonNode description = api.withKey(null).get("/openapi.json").json();
        assertEquals("3.1.0", description.get("openapi").asText());
        assertTrue(description.get("paths").has("/v1/jobs/{id}"));
    }

    @Test
    void checksAndWebhooksAreAddedThroughTheirForms() {
        signIn(ADMIN_KEY);
        go("#/checks");
        browser.await(By.cssSelector("main[data-page='/checks'][data-ready]"));
        String zone = browser.await(By.name("timezone")).getDomProperty("value");
        browser.await(By.name("name")).sendKeys("nightly backup from the form");
        browser.driver.findElement(By.name("cron")).sendKeys("99 3 * * *");
        browser.driver.findElement(By.cssSelector("main form button[type=submit]")).click();
        browser.waitingFor(() -> browser.text(browser.driver.findElement(By.cssSelector("[data-field-error=cron]")))
                .contains("99"), "the refused cron beside its field");
        browser.driver.findElement(By.name("cron")).clear();
        browser.driver.findElement(By.name("cron")).sendKeys("30 3 * * *");
        browser.driver.findElement(By.cssSelector("main form button[type=submit]")).click();
        browser.waitingFor(() -> browser.all(By.cssSelector("[data-test=checks] td.name")).stream()
                .anyMatch(td -> browser.text(td).equals("nightly backup from the form")), "the new check listed");
        assertEquals("", browser.driver.findElement(By.name("name")).getDomProperty("value"), "the form was cleared");
        assertEquals(zone, browser.driver.findElement(By.name("timezone")).getDomProperty("value"),
                "and keeps its default time zone");

        go("#/webhooks");
        browser.await(By.cssSelector("main[data-page='/webhooks'][data-ready]"));
        int ticked = browser.all(By.cssSelector("[data-field=topics] input:checked")).size();
        browser.await(By.name("url")).sendKeys(target.url("/hooks-from-the-form"));
        browser.driver.findElement(By.cssSelector("main form button[type=submit]")).click();
        browser.waitingFor(() -> !browser.text(browser.driver.findElement(By.cssSelector("[data-field-error=nickname]")))
                .isBlank(), "a webhook needs a name, said beside it");
        browser.driver.findElement(By.name("nickname")).sendKeys("form hook");
        browser.driver.findElement(By.cssSelector("main form button[type=submit]")).click();
        browser.waitingFor(() -> browser.all(By.cssSelector("[data-test=webhooks] td.name")).stream()
                .anyMatch(td -> browser.text(td).equals("form hook")), "the new webhook listed");
        assertEquals(ticked, browser.all(By.cssSelector("[data-field=topics] input:checked")).size(),
                "the events keep their defaults after the form is cleared");
    }

    @Test
    void aLongListIsSearchedAndReadPageByPage() {
        List<String> bulk = new java.util.ArrayList<>();
        try {
            for (int i = 1; i <= 105; i++) {
                bulk.add(api.post("/v1/jobs", Api.object().put("name", "bulk export " + i).put("url", target.url("/bulk"))
                        .put("cron", "0 5 * * *")).expect(201).get("id").asText());
            }
            signIn(ADMIN_KEY);
            browser.await(By.name("q")).sendKeys("BULK EXPORT");
            browser.waitingFor(() -> browser.all(By.cssSelector("[data-test=jobs] tbody tr")).size() == 100
                    && browser.all(By.cssSelector("[data-test=jobs] td.name")).stream()
                    .allMatch(td -> browser.text(td).startsWith("bulk export ")), "the first 100 of the search");
            browser.await(By.cssSelector("button.more")).click();
            browser.waitingFor(() -> browser.all(By.cssSelector("[data-test=jobs] tbody tr")).size() == 105,
                    "all 105 after Show more");
            assertTrue(browser.text(browser.driver.findElement(By.cssSelector("[data-test=jobs]")))
                    .contains("Refreshing stops while more are shown."));
            assertTrue(browser.all(By.cssSelector("button.more")).isEmpty(), "nothing more to show");
        } finally {
            // The other tests look for their own job on the list's first page.
            bulk.forEach(id -> api.delete("/v1/jobs/" + id));
        }
    }

    @Test
    void cronExpressionsAreDescribedInWords() {
        browser.open(server.baseUri() + "/");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("*/15 * * * *", "Every 15 minutes");
        expected.put("0 9 * * 1-5", "At 09:00 on Monday through Friday");
        expected.put("30 2 1 * *", "At 02:30 on day 1 of the month");
        expected.put("0 0 1 * 1", "At 00:00 on day 1 of the month and on Monday");
        expected.put("0 */2 * * *", "At minute 0 of every 2nd hour");
        expected.put("*/5 9-17 * * MON-FRI", "Every 5 minutes during hour 9 through 17 on Monday through Friday");
        expected.put("10 * * * * *", "Every minute, at second 10");
        expected.put("@weekly", "At 00:00 every Sunday");
        expected.put("0 0 1 1 *", "At 00:00 on day 1 of the month in January");
        expected.put("not cron", null);
        expected.forEach((cron, words) -> assertEquals(words, browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "import('/ui/js/cron-words.js').then(m => done(m.describeCron(arguments[0])));", cron), cron));
    }

    @Test
    void theApiIsReadableAtDocs() {
        browser.open(server.baseUri() + "/docs");
        browser.waitingFor(() -> browser.all(By.cssSelector(".swagger-ui .opblock")).size() >= 50,
                "Swagger UI lists the operations under the page's CSP");
        assertTrue(browser.all(By.cssSelector(".swagger-ui .opblock-summary-path")).stream()
                .anyMatch(e -> "/v1/cron/preview".equals(e.getDomAttribute("data-path"))), "the cron preview is there");
    }

    private JsonNode incidentOf(String jobId) {
        for (JsonNode incident : api.get("/v1/incidents?limit=500").expect(200).get("data")) {
            if (incident.get("dedup_key").asText().equals(jobId)) {
                return incident;
            }
        }
        return null;
    }
}
