package dev.cronhook.incident;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.db.DbClients;
import dev.cronhook.delivery.signing.Hmac;
import dev.cronhook.delivery.signing.RequestSigner;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.delivery.testing.Drafts;
import dev.cronhook.delivery.testing.MutableClock;
import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import dev.cronhook.incident.channels.AlertPublisher;
import dev.cronhook.incident.channels.ChannelDirectory;
import dev.cronhook.incident.channels.ChannelDraft;
import dev.cronhook.incident.channels.ChannelRepository;
import dev.cronhook.incident.channels.CreatedChannel;
import dev.cronhook.incident.channels.IncidentJson;
import dev.cronhook.incident.incidents.Incident;
import dev.cronhook.incident.incidents.IncidentDetail;
import dev.cronhook.incident.incidents.IncidentRepository;
import dev.cronhook.incident.incidents.IncidentStatus;
import dev.cronhook.incident.incidents.IntakeAction;
import dev.cronhook.incident.incidents.IntakeResult;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.incidents.Severity;
import dev.cronhook.incident.incidents.Silence;
import dev.cronhook.incident.incidents.SilenceRepository;
import dev.cronhook.incident.incidents.TimelineEntry;
import dev.cronhook.incident.intake.CronhookParserTest;
import dev.cronhook.incident.intake.IncomingHeaders;
import dev.cronhook.incident.integrations.BuiltInIntegration;
import dev.cronhook.incident.integrations.CreatedIntegration;
import dev.cronhook.incident.integrations.Integration;
import dev.cronhook.incident.integrations.IntegrationDraft;
import dev.cronhook.incident.integrations.IntegrationRepository;
import dev.cronhook.incident.integrations.IntegrationType;
import io.helidon.dbclient.DbClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The receiver against a real database, through its public services: intake, incidents, integrations, channels.
 * Alerts land in {@link TableOutbox}, written in the incident's own transaction. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReceiverStoreContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final int THREADS = 16;

    private TestDatabase database;
    private DbClient db;
    private MutableClock clock;
    private TableOutbox outbox;
    private ReceiverModule receiver;

    abstract TestDatabaseKind kind();

    @BeforeAll
    void startReceiver() {
        database = TestDatabase.create(kind());
        db = DbClients.over(database.dataSource());
        clock = new MutableClock(START);
        outbox = new TableOutbox(db);
        receiver = ReceiverModule.assemble(database.dataSource(), db, outbox, id -> { }, JSON, clock,
                ReceiverSettings.defaults());
    }

    @AfterAll
    void stop() {
        receiver.close();
        db.close();
        database.close();
    }

    @BeforeEach
    void clean() {
        db.execute().createDelete("DELETE FROM alert_channels").execute();
        db.execute().createDelete("DELETE FROM silences").execute();
        db.execute().createDelete("DELETE FROM integrations").execute();
        outbox.clear();
        clock.advance(Duration.ofHours(1));
    }

    // ---- helpers

    private CreatedIntegration integration(String type, String... extra) {
        ObjectNode body = JSON.createObjectNode().put("name", type + " source").put("type", type);
        for (int i = 0; i < extra.length; i += 2) {
            body.put(extra[i], extra[i + 1]);
        }
        return receiver.integrations().create(Drafts.of(IntegrationDraft.class, body));
    }

    private IntakeResult post(CreatedIntegration integration, String json) {
        return post(integration, json, Map.of());
    }

    private IntakeResult post(CreatedIntegration integration, String json, Map<String, String> headers) {
        return only(receiver.intake().receive(integration.token(), IncomingHeaders.of(headers), json.getBytes(UTF_8)));
    }

    /** The result of a request that carries one event. */
    private static IntakeResult only(IntakeOutcome outcome) {
        assertEquals(1, outcome.events().size(), "" + outcome);
        return outcome.events().getFirst().result();
    }

    private static String spike(String title) {
        return "{\"title\": \"" + title + "\", \"body\": \"details\", \"severity\": \"sev2\"}";
    }

    private static String spikeResolve(String title) {
        return "{\"title\": \"" + title + "\", \"status\": \"resolve\"}";
    }

    private List<Incident> incidentsOf(CreatedIntegration integration) {
        return receiver.incidents().list(null, integration.integration().id(), null, 500).data();
    }

    private List<Incident> openOf(CreatedIntegration integration) {
        return receiver.incidents().list("open", integration.integration().id(), null, 500).data();
    }

    private String webhookChannel(String... extra) {
        ObjectNode body = JSON.createObjectNode().put("type", "webhook").put("url", "https://alerts.example.com/in");
        for (int i = 0; i < extra.length; i += 2) {
            body.set(extra[i], json(extra[i + 1]));
        }
        return receiver.channels().create(Drafts.of(ChannelDraft.class, body)).channel().id();
    }

    private static ChannelDraft channelDraft(String json) {
        return Drafts.of(ChannelDraft.class, json(json));
    }

    private static IntegrationDraft integrationDraft(String json) {
        return Drafts.of(IntegrationDraft.class, json(json));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> List<T> concurrently(int tasks, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    if (index < THREADS) {
                        start.await(10, TimeUnit.SECONDS); // the first wave leaves together
                    }
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- one open incident per key, under concurrency

    @Test
    void aHundredIdenticalConcurrentTriggersOpenExactlyOneIncidentWithAHundredOccurrences() throws Exception {
        CreatedIntegration spike = integration("generic");
        webhookChannel();

        List<IntakeResult> results = concurrently(100, () -> post(spike, spike("Queue backed up")));

        List<Incident> incidents = incidentsOf(spike);
        assertEquals(1, incidents.size(), "exactly one incident: " + incidents);
        Incident incident = incidents.getFirst();
        assertEquals(100, incident.occurrences());
        assertEquals(IncidentStatus.TRIGGERED, incident.status());
        assertEquals(1, results.stream().filter(r -> r.action() == IntakeAction.OPENED).count(), results.toString());
        assertTrue(results.stream().allMatch(r -> incident.id().equals(r.incidentId())), results.toString());
        assertEquals(1, outbox.queued().stream().filter(q -> q.type().equals("incident.opened")).count(),
                "one alert for the opening, none for the grouped events");
        // All events arrived within the same second: 20 are listed, the rest counted under the rate limit.
        List<TimelineEntry> timeline = receiver.incidents().get(incident.id()).timeline();
        assertEquals(1, timeline.stream().filter(e -> e.type().equals("opened")).count());
        assertEquals(20, timeline.stream().filter(e -> e.type().equals("grouped")).count());
        assertEquals(1, timeline.stream().filter(e -> e.type().equals("rate_limited")).count());
        assertEquals(79, results.stream().filter(r -> r.action() == IntakeAction.RATE_LIMITED).count());
    }

    @Test
    void concurrentOpeningsOfDifferentKeysGetDistinctConsecutiveNumbers() throws Exception {
        CreatedIntegration spike = integration("generic");
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        concurrently(40, () -> post(spike, spike("key-" + next.incrementAndGet())));

        Set<Long> numbers = new HashSet<>();
        incidentsOf(spike).forEach(i -> numbers.add(i.number()));
        assertEquals(40, numbers.size(), "40 incidents with distinct numbers");
        long min = numbers.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = numbers.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertEquals(39, max - min, "no gaps: " + numbers);
    }

    private List<Incident> incidentsOfAll() {
        return receiver.incidents().list(null, null, null, 500).data();
    }

    @Test
    void resolvesRacingTriggersNeverLeaveTwoOpenIncidents() throws Exception {
        CreatedIntegration spike = integration("generic");
        for (int round = 0; round < 15; round++) {
            clock.advance(Duration.ofMinutes(5));
            post(spike, spike("flapping"));
            java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger(round);
            List<IntakeResult> results = concurrently(THREADS, () -> turn.incrementAndGet() % 2 == 0
                    ? post(spike, spike("flapping")) : post(spike, spikeResolve("flapping")));
            List<Incident> open = openOf(spike);
            assertTrue(open.size() <= 1, "round " + round + ": " + open + " after " + results);
            for (Incident incident : incidentsOf(spike)) {
                assertEquals(incident.status() == IncidentStatus.RESOLVED, incident.resolvedAt() != null, incident.toString());
                assertEquals(incident.status() == IncidentStatus.RESOLVED, "auto".equals(incident.resolvedBy()));
            }
            post(spike, spikeResolve("flapping"));
            assertEquals(0, openOf(spike).size());
        }
        long opened = outbox.queued().stream().filter(q -> q.type().equals("incident.opened")).count();
        assertEquals(0, opened, "no channel, no alert");
        List<Incident> all = incidentsOf(spike);
        assertEquals(all.size(), all.stream().map(Incident::number).distinct().count());
    }

    @Test
    void aBatchOfOpeningsThatRacedWithAnotherNodeGroupsIntoItsIncidentAndLeavesNoGapInNumbers() {
        CreatedIntegration spike = integration("generic");
        Integration integration = spike.integration();
        // This node's events found nothing open; another node opened one of their keys before the batch ran.
        Incident theirs = receiver.incidents().get(post(spike, spike("Raced")).incidentId()).incident();
        IncidentEngine thisNode = new IncidentEngine(db, new IncidentRepository(db), new IntegrationRepository(db),
                new AlertGate(new IncidentRepository(db), new SilenceRepository(db), new AlertPublisher(
                        new ChannelRepository(db), outbox, new IncidentJson(JSON),
                        new dev.cronhook.common.PrefixedIds(clock), clock)),
                new SilenceRepository(db), new dev.cronhook.common.PrefixedIds(clock), clock);

        List<IntakeResult> results = thisNode.applyAll(List.of(
                new IncidentEngine.Keyed(integration, new ParsedEvent.Trigger("Fresh", "Fresh", null, null, null),
                        "Fresh"),
                new IncidentEngine.Keyed(integration, new ParsedEvent.Trigger("Raced", "Raced", null, null, null),
                        "Raced"),
                new IncidentEngine.Keyed(integration, new ParsedEvent.Trigger("Fresh", "Fresh", null, null, null),
                        "Fresh")));

        assertEquals(IntakeAction.OPENED, results.get(0).action());
        assertEquals(new IntakeResult(IntakeAction.GROUPED, theirs.id()), results.get(1));
        assertEquals(new IntakeResult(IntakeAction.GROUPED, results.get(0).incidentId()), results.get(2));
        assertEquals(2, receiver.incidents().get(theirs.id()).incident().occurrences());
        Incident fresh = receiver.incidents().get(results.get(0).incidentId()).incident();
        assertEquals(2, fresh.occurrences());
        assertEquals(theirs.number() + 1, fresh.number(), "the rolled-back attempt gave its number back");
        assertEquals(List.of("opened", "grouped"), receiver.incidents().get(fresh.id()).timeline().stream()
                .map(TimelineEntry::type).toList());
        assertEquals(2, openOf(spike).size());
    }

    // ---- grouping, resolving, reopening

    @Test
    void retentionDeletesIncidentsResolvedBeforeTheCutoffWithTheirTimelinesAndKeepsOpenOnes() {
        CreatedIntegration spike = integration("generic");
        IntakeResult oldResolved = post(spike, spike("old and resolved"));
        assertEquals(IntakeAction.RESOLVED, post(spike, spikeResolve("old and resolved")).action());
        IntakeResult oldOpen = post(spike, spike("old and still open"));
        clock.advance(Duration.ofDays(31));
        IntakeResult recent = post(spike, spike("recent"));
        assertEquals(IntakeAction.RESOLVED, post(spike, spikeResolve("recent")).action());

        Instant cutoff = clock.instant().minus(Duration.ofDays(30));
        assertEquals(1, receiver.incidents().deleteResolvedBefore(cutoff, 1000));
        assertEquals(0, receiver.incidents().deleteResolvedBefore(cutoff, 1000));
        assertEquals(java.util.Set.of(oldOpen.incidentId(), recent.incidentId()),
                incidentsOf(spike).stream().map(Incident::id).collect(java.util.stream.Collectors.toSet()));
        long timeline = db.execute().createQuery("SELECT seq FROM incident_timeline WHERE incident_id = :id")
                .addParam("id", oldResolved.incidentId()).execute().count();
        assertEquals(0, timeline, "its timeline went with it");
    }

    @Test
    void groupedEventsCountAndListAndAResolveClosesWithAnAlert() {
        CreatedIntegration spike = integration("generic");
        String channel = webhookChannel();

        IntakeResult opened = post(spike, spike("Disk full"));
        clock.advance(Duration.ofSeconds(10));
        IntakeResult grouped = post(spike, spike("Disk full"));
        clock.advance(Duration.ofSeconds(10));
        IntakeResult resolved = post(spike, spikeResolve("Disk full"));
        IntakeResult again = post(spike, spikeResolve("Disk full"));

        assertEquals(IntakeAction.OPENED, opened.action());
        assertEquals(new IntakeResult(IntakeAction.GROUPED, opened.incidentId()), grouped);
        assertEquals(new IntakeResult(IntakeAction.RESOLVED, opened.incidentId()), resolved);
        assertEquals(new IntakeResult(IntakeAction.IGNORED, null), again, "nothing open to resolve");
        IncidentDetail detail = receiver.incidents().get(opened.incidentId());
        Incident incident = detail.incident();
        assertEquals(2, incident.occurrences());
        assertEquals(IncidentStatus.RESOLVED, incident.status());
        assertEquals("auto", incident.resolvedBy());
        assertEquals(clock.instant(), incident.resolvedAt());
        assertEquals(clock.instant().minusSeconds(10), incident.lastOccurrenceAt());
        assertEquals(List.of("opened", "grouped", "resolved"), detail.timeline().stream().map(TimelineEntry::type).toList());
        List<TableOutbox.Queued> alerts = outbox.queued();
        assertEquals(List.of("incident.opened", "incident.resolved"), alerts.stream().map(TableOutbox.Queued::type).toList());
        assertTrue(alerts.stream().allMatch(a -> a.channelId().equals(channel)));
        JsonNode resolvedAlert = json(alerts.get(1).body());
        assertEquals(alerts.get(1).eventId(), resolvedAlert.path("id").asText());
        assertEquals("incident.resolved", resolvedAlert.path("type").asText());
        assertEquals(opened.incidentId(), resolvedAlert.path("data").path("incident").path("id").asText());
        assertEquals("resolved", resolvedAlert.path("data").path("incident").path("status").asText());
        assertEquals("auto", resolvedAlert.path("data").path("incident").path("resolved_by").asText());
        assertEquals(2, resolvedAlert.path("data").path("incident").path("occurrences").asInt());
        assertTrue(outbox.wakes.get() >= 2, "the worker is woken after each commit with alerts");
    }

    @Test
    void aTriggerAfterAResolveOpensANewIncidentWithTheNextNumber() {
        CreatedIntegration spike = integration("generic");
        IntakeResult first = post(spike, spike("Backup failed"));
        post(spike, spikeResolve("Backup failed"));
        clock.advance(Duration.ofMinutes(1));

        IntakeResult second = post(spike, spike("Backup failed"));

        assertEquals(IntakeAction.OPENED, second.action());
        assertNotEquals(first.incidentId(), second.incidentId());
        Incident a = receiver.incidents().get(first.incidentId()).incident();
        Incident b = receiver.incidents().get(second.incidentId()).incident();
        assertEquals(a.number() + 1, b.number());
        assertEquals(IncidentStatus.RESOLVED, a.status());
        assertEquals(IncidentStatus.TRIGGERED, b.status());
        assertEquals(1, b.occurrences());
    }

    @Test
    void eventsAfterTheRateLimitAreListedAgain() {
        CreatedIntegration spike = integration("generic");
        for (int i = 0; i < 21; i++) {
            post(spike, spike("Noisy"));
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(IntakeAction.RATE_LIMITED, post(spike, spike("Noisy")).action());

        clock.advance(Duration.ofSeconds(61));
        IntakeResult after = post(spike, spike("Noisy"));

        assertEquals(IntakeAction.GROUPED, after.action());
        Incident incident = receiver.incidents().get(after.incidentId()).incident();
        assertEquals(23, incident.occurrences(), "rate-limited events are still counted");
    }

    @Test
    void anEventWithoutKeyAlwaysOpensANewIncident() {
        CreatedIntegration spike = integration("generic");

        IntakeResult a = post(spike, "{\"body\": \"no title\"}");
        IntakeResult b = post(spike, "{\"body\": \"no title\"}");

        assertEquals(IntakeAction.OPENED, a.action());
        assertEquals(IntakeAction.OPENED, b.action());
        assertNull(receiver.incidents().get(a.incidentId()).incident().dedupKey());
    }

    // ---- alerting controls (PRODUCT.md section 12)

    private List<String> alertTypes() {
        return outbox.queued().stream().map(TableOutbox.Queued::type).toList();
    }

    private Silence silence(String singleQuoted) {
        return receiver.silences().create(Drafts.of(SilenceDraft.class, singleQuoted));
    }

    @Test
    void alertAfterThreeAlertsAtTheThirdOccurrenceAndAResolveAlertsOnlyWhatWasAlerted() {
        CreatedIntegration spike = integration("generic");
        receiver.integrations().update(spike.integration().id(), integrationDraft("{\"alert_after\": 3}"));
        webhookChannel();
        String id = post(spike, spike("Flaky export")).incidentId();
        assertEquals(IntakeAction.GROUPED, post(spike, spike("Flaky export")).action());
        assertEquals(List.of(), alertTypes(), "two occurrences: not yet");
        post(spike, spike("Flaky export"));
        assertEquals(List.of("incident.opened"), alertTypes(), "the third occurrence alerts");
        assertEquals(3, json(outbox.queued().getFirst().body()).path("data").path("incident").path("occurrences")
                .asInt());
        post(spike, spike("Flaky export"));
        assertEquals(1, alertTypes().size(), "once");
        post(spike, spikeResolve("Flaky export"));
        assertEquals(List.of("incident.opened", "incident.resolved"), alertTypes());
        assertEquals(IncidentStatus.RESOLVED, receiver.incidents().get(id).incident().status());

        outbox.clear();
        post(spike, spike("Blip"));
        post(spike, spikeResolve("Blip"));
        assertEquals(List.of(), alertTypes(), "never alerted, so its resolve is not either");
    }

    @Test
    void realertMinutesRemindsWhileTheIncidentStaysTriggeredAndStopsOnceAcknowledged() {
        CreatedIntegration spike = integration("generic");
        receiver.integrations().update(spike.integration().id(), integrationDraft("{\"realert_minutes\": 30}"));
        webhookChannel();
        String id = post(spike, spike("Queue stuck")).incidentId();
        clock.advance(Duration.ofMinutes(29));
        assertEquals(0, receiver.sweeper().remindOnce(), "not yet");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, receiver.sweeper().remindOnce());
        assertEquals(0, receiver.sweeper().remindOnce(), "once per period");
        clock.advance(Duration.ofMinutes(30));
        assertEquals(1, receiver.sweeper().remindOnce());
        assertEquals(List.of("incident.opened", "incident.reminder", "incident.reminder"), alertTypes());
        JsonNode reminder = json(outbox.queued().get(1).body());
        assertEquals("incident.reminder", reminder.path("type").asText());
        assertEquals(id, reminder.path("data").path("incident").path("id").asText());

        receiver.incidents().acknowledge(id);
        clock.advance(Duration.ofHours(3));
        assertEquals(0, receiver.sweeper().remindOnce(), "an acknowledged incident is not reminded of");
        assertEquals(List.of("opened", "reminder", "reminder", "acknowledged"),
                receiver.incidents().get(id).timeline().stream().map(TimelineEntry::type).toList());
    }

    @Test
    void aSilenceMutesOpeningsAndItsEndAlertsWhatItMutedThatIsStillTriggered() {
        CreatedIntegration spike = integration("generic");
        webhookChannel();
        Silence silence = silence("{'integration_id': '" + spike.integration().id() + "', 'ends_at': '"
                + clock.instant().plus(Duration.ofHours(1)) + "', 'comment': 'database maintenance'}");
        assertTrue(silence.activeAt(clock.instant()));
        String muted = post(spike, spike("Replica lag")).incidentId();
        post(spike, spike("Replica lag"));
        post(spike, spike("Blip"));
        post(spike, spikeResolve("Blip"));
        assertEquals(List.of(), alertTypes(), "nothing while silenced, not even the resolve of what was muted");
        assertEquals(List.of("opened", "silenced", "grouped"),
                receiver.incidents().get(muted).timeline().stream().map(TimelineEntry::type).toList());

        assertEquals(0, receiver.sweeper().endSilencesOnce(), "still on");
        clock.advance(Duration.ofHours(1));
        assertEquals(1, receiver.sweeper().endSilencesOnce(), "the still-triggered incident it muted");
        assertEquals(0, receiver.sweeper().endSilencesOnce(), "once");
        assertEquals(List.of("incident.opened"), alertTypes());
        assertEquals(muted, json(outbox.queued().getFirst().body()).path("data").path("incident").path("id").asText());
        post(spike, spikeResolve("Replica lag"));
        assertEquals(List.of("incident.opened", "incident.resolved"), alertTypes());
    }

    @Test
    void anIncidentAlertedBeforeASilenceStillGetsItsResolveButNothingElseWhileSilenced() {
        CreatedIntegration spike = integration("generic");
        webhookChannel();
        String id = post(spike, spike("Disk full")).incidentId();
        silence("{'ends_at': '" + clock.instant().plus(Duration.ofHours(2)) + "', 'comment': 'all quiet'}");
        receiver.incidents().acknowledge(id);
        post(spike, spike("Other"));
        post(spike, spikeResolve("Disk full"));
        assertEquals(List.of("incident.opened", "incident.resolved"), alertTypes());
    }

    @Test
    void aSilenceEndedThroughTheApiAlertsAtOnceAndBadSilencesAreNamed() {
        CreatedIntegration spike = integration("generic");
        webhookChannel();
        Silence silence = silence("{'dedup_key': 'Nightly ETL', 'ends_at': '"
                + clock.instant().plus(Duration.ofDays(1)) + "', 'comment': 'known issue'}");
        String muted = post(spike, spike("Nightly ETL")).incidentId();
        post(spike, spike("Other key"));
        assertEquals(List.of("incident.opened"), alertTypes(), "only the silenced key is muted");

        receiver.silences().end(silence.id());
        assertEquals(List.of("incident.opened", "incident.opened"), alertTypes());
        assertEquals(muted, json(outbox.queued().get(1).body()).path("data").path("incident").path("id").asText());
        assertEquals(clock.instant(), receiver.silences().get(silence.id()).endsAt());
        assertEquals(0, receiver.sweeper().endSilencesOnce(), "already handled");

        for (var bad : List.of(
                List.of("ends_at", "{'comment': 'x'}"),
                List.of("ends_at", "{'ends_at': '" + clock.instant().minusSeconds(1) + "', 'comment': 'x'}"),
                List.of("ends_at", "{'ends_at': 'tomorrow', 'comment': 'x'}"),
                List.of("ends_at", "{'starts_at': '" + clock.instant().plus(Duration.ofHours(2)) + "', 'ends_at': '"
                        + clock.instant().plus(Duration.ofHours(1)) + "', 'comment': 'x'}"),
                List.of("comment", "{'ends_at': '" + clock.instant().plus(Duration.ofHours(1)) + "'}"),
                List.of("integration_id", "{'integration_id': 'int_01jd3k0000000000000000000z', 'ends_at': '"
                        + clock.instant().plus(Duration.ofHours(1)) + "', 'comment': 'x'}"))) {
            DomainException.Invalid e = assertThrows(DomainException.Invalid.class, () -> silence(bad.get(1)));
            assertEquals(bad.get(0), e.errors().getFirst().field(), bad.get(1));
        }
    }

    // ---- acknowledgement

    @Test
    void anAcknowledgementThatTimesOutPutsTheIncidentBackToTriggeredAndAlertsAgain() {
        CreatedIntegration spike = integration("generic");
        receiver.integrations().update(spike.integration().id(), integrationDraft("{\"ack_timeout_minutes\": 30}"));
        webhookChannel();
        String id = post(spike, spike("DB replica lag")).incidentId();
        clock.advance(Duration.ofMinutes(1));

        Incident acknowledged = receiver.incidents().acknowledge(id);
        assertEquals(IncidentStatus.ACKNOWLEDGED, acknowledged.status());
        assertEquals(clock.instant(), acknowledged.acknowledgedAt());

        clock.advance(Duration.ofMinutes(29));
        assertEquals(0, receiver.sweeper().runOnce(), "not yet");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, receiver.sweeper().runOnce());
        assertEquals(0, receiver.sweeper().runOnce(), "once only");

        IncidentDetail detail = receiver.incidents().get(id);
        assertEquals(IncidentStatus.TRIGGERED, detail.incident().status());
        assertNull(detail.incident().acknowledgedAt());
        assertEquals(List.of("opened", "acknowledged", "reopened"),
                detail.timeline().stream().map(TimelineEntry::type).toList());
        assertEquals(List.of("incident.opened", "incident.acknowledged", "incident.reopened"),
                outbox.queued().stream().map(TableOutbox.Queued::type).toList());
    }

    @Test
    void aResolvedIncidentIsNotReopenedByTheSweeper() {
        CreatedIntegration spike = integration("generic");
        String id = post(spike, spike("Transient")).incidentId();
        receiver.incidents().acknowledge(id);
        post(spike, spikeResolve("Transient"));

        clock.advance(Duration.ofHours(2));

        assertEquals(0, receiver.sweeper().runOnce());
        assertEquals(IncidentStatus.RESOLVED, receiver.incidents().get(id).incident().status());
    }

    @Test
    void pagerDutyEventsTriggerAcknowledgeAndResolveByDedupKey() {
        CreatedIntegration pd = integration("pagerduty");
        String trigger = "{\"event_action\": \"trigger\", \"dedup_key\": \"srv01/mysql\", "
                + "\"payload\": {\"summary\": \"MySQL down\", \"source\": \"srv01\", \"severity\": \"critical\"}}";

        IntakeResult opened = post(pd, trigger);
        IntakeResult acked = post(pd, "{\"event_action\": \"acknowledge\", \"dedup_key\": \"srv01/mysql\"}");
        IntakeResult grouped = post(pd, trigger);
        IntakeResult resolved = post(pd, "{\"event_action\": \"resolve\", \"dedup_key\": \"srv01/mysql\"}");

        assertEquals(IntakeAction.OPENED, opened.action());
        assertEquals(IntakeAction.ACKNOWLEDGED, acked.action());
        assertEquals(IntakeAction.GROUPED, grouped.action());
        assertEquals(IntakeAction.RESOLVED, resolved.action());
        Incident incident = receiver.incidents().get(opened.incidentId()).incident();
        assertEquals(Severity.SEV1, incident.severity());
        assertEquals("srv01/mysql", incident.dedupKey());
        assertEquals(2, incident.occurrences());
    }

    // ---- the API's resolve and acknowledge

    @Test
    void resolvingThroughTheApiSetsResolvedByApiAndASecondResolveConflicts() {
        CreatedIntegration spike = integration("generic");
        String id = post(spike, spike("Manual")).incidentId();

        Incident resolved = receiver.incidents().resolve(id);

        assertEquals(IncidentStatus.RESOLVED, resolved.status());
        assertEquals("api", resolved.resolvedBy());
        assertThrows(DomainException.Conflict.class, () -> receiver.incidents().resolve(id));
        assertThrows(DomainException.Conflict.class, () -> receiver.incidents().acknowledge(id));
        assertThrows(DomainException.NotFound.class,
                () -> receiver.incidents().resolve("inc_00000000000000000000000000"));
        assertEquals(IntakeAction.OPENED, post(spike, spike("Manual")).action(), "the key is free again");
    }

    @Test
    void listsFilterByStatusAndIntegrationNewestFirstWithACursor() {
        CreatedIntegration a = integration("generic");
        CreatedIntegration b = integration("generic");
        String first = post(a, spike("one")).incidentId();
        clock.advance(Duration.ofMillis(5));
        String second = post(a, spike("two")).incidentId();
        clock.advance(Duration.ofMillis(5));
        post(b, spike("three"));
        receiver.incidents().acknowledge(second);

        Page<Incident> page = receiver.incidents().list(null, a.integration().id(), null, 1);
        assertEquals(List.of(second), page.data().stream().map(Incident::id).toList());
        assertEquals(List.of(first), receiver.incidents().list(null, a.integration().id(), page.nextCursor(), 1)
                .data().stream().map(Incident::id).toList());
        assertEquals(List.of(first), receiver.incidents().list("triggered", a.integration().id(), null, 50)
                .data().stream().map(Incident::id).toList());
        assertEquals(List.of(second), receiver.incidents().list("acknowledged", a.integration().id(), null, 50)
                .data().stream().map(Incident::id).toList());
        assertThrows(DomainException.Invalid.class, () -> receiver.incidents().list("closed", null, null, 50));
    }

    // ---- channels choose what they hear

    @Test
    void channelsHearOnlyTheirEventsIntegrationsAndSeverities() {
        CreatedIntegration a = integration("generic");
        CreatedIntegration b = integration("generic");
        String all = webhookChannel();
        String onlyResolved = webhookChannel("events", "[\"incident.resolved\"]");
        String onlyB = webhookChannel("integration_ids", "[\"" + b.integration().id() + "\"]");
        String onlySev1 = webhookChannel("min_severity", "\"sev1\"");
        String slack = receiver.channels().create(channelDraft("{\"type\": \"slack\", "
                + "\"url\": \"https://hooks.slack.com/services/T000/B000/XXXX\"}")).channel().id();

        post(a, "{\"title\": \"minor\", \"severity\": \"sev3\"}");
        post(a, "{\"title\": \"minor\", \"status\": \"resolve\"}");
        post(b, "{\"title\": \"major\", \"severity\": \"sev1\"}");

        Map<String, List<String>> heard = new java.util.HashMap<>();
        for (TableOutbox.Queued q : outbox.queued()) {
            heard.computeIfAbsent(q.channelId(), k -> new ArrayList<>()).add(q.type());
        }
        assertEquals(List.of("incident.opened", "incident.resolved", "incident.opened"), heard.get(all));
        assertEquals(List.of("incident.resolved"), heard.get(onlyResolved));
        assertEquals(List.of("incident.opened"), heard.get(onlyB));
        assertEquals(List.of("incident.opened"), heard.get(onlySev1));
        assertEquals(3, heard.get(slack).size());
        String slackText = json(outbox.queued().stream().filter(q -> q.channelId().equals(slack)).findFirst()
                .orElseThrow().body()).path("text").asText();
        assertTrue(slackText.contains("minor") && slackText.contains("opened"), slackText);
    }

    @Test
    void aWebhookChannelGetsASecretOnceAndTheDirectoryServesIt() {
        CreatedChannel created = receiver.channels().create(channelDraft("{\"type\": \"webhook\", "
                + "\"url\": \"https://alerts.example.com/in\"}"));
        CreatedChannel slack = receiver.channels().create(channelDraft("{\"type\": \"slack\", "
                + "\"url\": \"https://hooks.slack.com/services/T000/B000/XXXX\"}"));

        assertTrue(created.signingSecret().value().startsWith("whsec_"));
        assertNull(slack.signingSecret());
        ChannelDirectory directory = new ChannelDirectory(new ChannelRepository(db), clock);
        var endpoint = directory.find(created.channel().id(), clock.instant()).orElseThrow();
        assertEquals(List.of(created.signingSecret()), endpoint.secrets());
        assertEquals("https://alerts.example.com/in", endpoint.url().toString());
        assertEquals(List.of(), directory.find(slack.channel().id(), clock.instant()).orElseThrow().secrets(),
                "Slack verifies nothing: its requests go unsigned");

        directory.gone(created.channel().id(), "410 Gone");

        assertFalse(receiver.channels().get(created.channel().id()).enabled());
        assertTrue(directory.find(created.channel().id(), clock.instant()).isEmpty());
    }

    @Test
    void channelInputIsValidated() {
        DomainException.Invalid e = assertThrows(DomainException.Invalid.class, () -> receiver.channels()
                .create(channelDraft("{\"type\": \"email\", \"url\": \"ftp://x\", \"events\": [\"incident.deleted\"], "
                        + "\"integration_ids\": [\"int_00000000000000000000000000\"], \"min_severity\": \"sev9\"}")));
        assertEquals(List.of("type", "url", "events", "integration_ids", "min_severity"),
                e.errors().stream().map(FieldError::field).toList());
    }

    // ---- integrations, tokens and signatures

    @Test
    void intakeFindsTheIntegrationByItsTokenAndARotatedTokenStopsTheOldOne() {
        CreatedIntegration spike = integration("generic");
        assertTrue(spike.token().startsWith("cht_") && spike.token().length() > 40, "256 random bits");
        assertFalse(spike.toString().contains(spike.token()), "the token never reaches a log through toString");

        CreatedIntegration rotated = receiver.integrations().rotateToken(spike.integration().id());

        assertThrows(DomainException.UnknownToken.class, () -> post(spike, spike("x")));
        assertEquals(IntakeAction.OPENED, post(rotated, spike("x")).action());
        assertThrows(DomainException.UnknownToken.class, () -> receiver.intake()
                .receive("cht_nope", IncomingHeaders.of(Map.of()), "{}".getBytes(UTF_8)));
        var stored = db.execute().createQuery("SELECT token_hash FROM integrations").execute().toList();
        assertTrue(stored.stream().noneMatch(r -> r.column("token_hash").getString().contains(rotated.token())));
    }

    @Test
    void aPagerDutyTriggerWithoutADedupKeyGetsOneToResolveItBy() {
        CreatedIntegration pd = integration("pagerduty");
        String trigger = "{\"event_action\": \"trigger\", \"payload\": {\"summary\": \"Queue backed up\", "
                + "\"source\": \"worker-3\", \"severity\": \"error\"}}";

        IntakeOutcome.Handled first = receiver.intake().receive(pd.token(), IncomingHeaders.of(Map.of()),
                trigger.getBytes(UTF_8)).events().getFirst();
        IntakeOutcome.Handled second = receiver.intake().receive(pd.token(), IncomingHeaders.of(Map.of()),
                trigger.getBytes(UTF_8)).events().getFirst();

        assertTrue(first.key().matches("[0-9a-f]{32}"), first.key());
        assertNotEquals(first.key(), second.key(), "each trigger without a key is an incident of its own");
        assertEquals(IntakeAction.OPENED, first.result().action());
        assertEquals(IntakeAction.OPENED, second.result().action());
        IntakeResult resolved = post(pd, "{\"event_action\": \"resolve\", \"dedup_key\": \"" + first.key() + "\"}");
        assertEquals(IntakeAction.RESOLVED, resolved.action());
        assertEquals(first.result().incidentId(), resolved.incidentId());
        assertEquals(IncidentStatus.TRIGGERED, receiver.incidents().get(second.result().incidentId()).incident()
                .status(), "the other one is still open");
    }

    @Test
    void anAlertmanagerNotificationActsOnEachAlertInTurn() {
        CreatedIntegration alertmanager = integration("alertmanager");
        String firingBoth = "{\"version\": \"4\", \"alerts\": ["
                + "{\"status\": \"firing\", \"fingerprint\": \"aaaa\", \"labels\": {\"alertname\": \"A\"}},"
                + "{\"status\": \"firing\", \"fingerprint\": \"bbbb\", \"labels\": {\"alertname\": \"B\", "
                + "\"severity\": \"info\"}}]}";
        IntakeOutcome opened = receiver.intake().receive(alertmanager.token(), IncomingHeaders.of(Map.of()),
                firingBoth.getBytes(UTF_8));
        assertEquals(List.of("aaaa", "bbbb"), opened.events().stream().map(IntakeOutcome.Handled::key).toList());
        assertEquals(List.of(IntakeAction.OPENED, IntakeAction.OPENED),
                opened.events().stream().map(e -> e.result().action()).toList());
        assertEquals(Severity.SEV3, receiver.incidents().get(opened.events().get(1).result().incidentId()).incident()
                .severity());

        String oneOfEach = "{\"version\": \"4\", \"alerts\": ["
                + "{\"status\": \"firing\", \"fingerprint\": \"aaaa\", \"labels\": {\"alertname\": \"A\"}},"
                + "{\"status\": \"resolved\", \"fingerprint\": \"bbbb\", \"labels\": {\"alertname\": \"B\"}}]}";
        IntakeOutcome next = receiver.intake().receive(alertmanager.token(), IncomingHeaders.of(Map.of()),
                oneOfEach.getBytes(UTF_8));
        assertEquals(List.of(IntakeAction.GROUPED, IntakeAction.RESOLVED),
                next.events().stream().map(e -> e.result().action()).toList());
        assertEquals(IncidentStatus.RESOLVED, receiver.incidents().get(opened.events().get(1).result().incidentId())
                .incident().status());
        assertEquals(2, receiver.incidents().get(opened.events().get(0).result().incidentId()).incident()
                .occurrences());
    }

    @Test
    void malformedAndUnreadableEventsAreRefused() {
        CreatedIntegration pd = integration("pagerduty");

        assertThrows(DomainException.Malformed.class, () -> post(pd, "{\"event_action\": "));
        DomainException.Invalid e = assertThrows(DomainException.Invalid.class,
                () -> post(pd, "{\"event_action\": \"trigger\", \"payload\": {}}"));
        assertEquals("payload.summary", e.errors().getFirst().field());
        assertThrows(DomainException.Invalid.class, () -> post(pd, "[1, 2]"));
    }

    @Test
    void integrationInputIsValidated() {
        DomainException.Invalid e = assertThrows(DomainException.Invalid.class, () -> receiver.integrations()
                .create(integrationDraft("{\"type\": \"nagios\", \"ack_timeout_minutes\": 0, "
                        + "\"default_severity\": \"high\"}")));
        // An unknown field such as "colour" is named by the api's codec (IntegrationCodec), before this service.
        assertEquals(Set.of("name", "type", "ack_timeout_minutes", "default_severity"),
                e.errors().stream().map(FieldError::field).collect(java.util.stream.Collectors.toSet()));
        assertThrows(DomainException.Invalid.class, () -> receiver.integrations().create(integrationDraft(
                "{\"name\": \"n\", \"type\": \"generic\", \"signing_secret\": \"s\"}")), "generic sources sign nothing");
        assertThrows(DomainException.Invalid.class, () -> receiver.integrations().create(integrationDraft(
                "{\"name\": \"n\", \"type\": \"cronhook\", \"signing_secret\": \"plain\"}")), "cronhook uses whsec_");
        Integration defaults = receiver.integrations().create(integrationDraft("{\"name\": \"n\", \"type\": \"cronicle\"}"))
                .integration();
        assertEquals(30, defaults.ackTimeoutMinutes());
        assertEquals(Severity.SEV2, defaults.defaultSeverity());
        assertNull(receiver.integrations().update(defaults.id(), integrationDraft("{\"ack_timeout_minutes\": null}"))
                .ackTimeoutMinutes());
    }

    @Test
    void aCronToGoIntegrationWithASecretChecksTheHubSignature() {
        CreatedIntegration ctg = integration("crontogo", "signing_secret", "Very Secret Secret");
        String body = "{\"Topic\": \"job.execution.failed\", \"Data\": {\"JobId\": \"j-1\"}}";
        String signature = "sha256=" + java.util.HexFormat.of().formatHex(
                Hmac.sha256("Very Secret Secret".getBytes(UTF_8), body.getBytes(UTF_8)));

        assertThrows(DomainException.BadSignature.class, () -> post(ctg, body));
        assertThrows(DomainException.BadSignature.class, () -> post(ctg, body, Map.of("X-Hub-Signature",
                "sha256=" + "0".repeat(64))));
        assertEquals(IntakeAction.OPENED, post(ctg, body, Map.of("x-hub-signature", signature)).action());
    }

    @Test
    void theBuiltInIntegrationIsMadeOnceEvenWhenTwoNodesStartTogether() throws Exception {
        WebhookSecret first = WebhookSecret.generate();
        WebhookSecret second = WebhookSecret.generate();

        List<BuiltInIntegration> made = concurrently(THREADS, () -> receiver.ensureBuiltIn(
                Thread.currentThread().threadId() % 2 == 0 ? first.value() : second.value()));

        assertEquals(1, made.stream().map(BuiltInIntegration::id).distinct().count(), made.toString());
        assertEquals(1, made.stream().map(BuiltInIntegration::token).distinct().count());
        BuiltInIntegration builtIn = made.getFirst();
        assertEquals(builtIn, receiver.ensureBuiltIn(WebhookSecret.generate().value()), "a restart finds it");
        Integration integration = receiver.integrations().get(builtIn.id());
        assertTrue(integration.builtIn());
        assertEquals(IntegrationType.CRONHOOK, integration.type());
        assertThrows(DomainException.Conflict.class, () -> receiver.integrations().rotateToken(builtIn.id()));

        byte[] body = CronhookParserTest.failed(true).getBytes(UTF_8);
        Map<String, String> signed = RequestSigner.signatureHeaders("evt_01jd3k9x2m4n5p6q7r8s9t0v1w", clock.instant(),
                body, List.of(builtIn.signingSecret()));
        IntakeResult result = only(receiver.intake().receive(builtIn.token(), IncomingHeaders.of(signed), body));
        assertEquals(IntakeAction.OPENED, result.action());
        assertEquals("job_01jd3k9x2m4n5p6q7r8s9t0v1w",
                receiver.incidents().get(result.incidentId()).incident().dedupKey());
        assertThrows(DomainException.BadSignature.class, () -> receiver.intake()
                .receive(builtIn.token(), IncomingHeaders.of(Map.of()), body), "unsigned");
        clock.advance(Duration.ofMinutes(6));
        assertThrows(DomainException.BadSignature.class, () -> receiver.intake()
                .receive(builtIn.token(), IncomingHeaders.of(signed), body), "signed more than 5 minutes ago");
    }

    @Test
    void cronhookRetriesAnnotateTheOpenIncidentAndTheNextSuccessResolvesIt() {
        CreatedIntegration own = integration("cronhook");
        assertEquals(new IntakeResult(IntakeAction.IGNORED, null), post(own, CronhookParserTest.failed(false)),
                "a retried failure with nothing open is ignored");
        String id = post(own, CronhookParserTest.failed(true)).incidentId();

        IntakeResult note = post(own, CronhookParserTest.failed(false));
        assertEquals(1, receiver.openIncidents());
        IntakeResult resolved = post(own, "{\"type\": \"job.execution.succeeded\", \"data\": {\"job\": "
                + "{\"id\": \"job_01jd3k9x2m4n5p6q7r8s9t0v1w\"}, \"execution\": {\"id\": \"exe_1\"}}}");

        assertEquals(new IntakeResult(IntakeAction.IGNORED, id), note);
        assertEquals(0, receiver.openIncidents(), "the metrics gauge counts open incidents");
        assertEquals(new IntakeResult(IntakeAction.RESOLVED, id), resolved);
        IncidentDetail detail = receiver.incidents().get(id);
        assertEquals(1, detail.incident().occurrences(), "a retried failure is not an occurrence");
        assertEquals(List.of("opened", "note", "resolved"), detail.timeline().stream().map(TimelineEntry::type).toList());
    }
}
