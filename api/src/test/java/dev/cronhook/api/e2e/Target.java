package dev.cronhook.api.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** The HTTP endpoint jobs call: WireMock on 127.0.0.1, answering 200 "ok" to anything, recording every request. */
final class Target implements AutoCloseable {
    static final String RESPONSE_BODY = "ok";

    private final WireMockServer server;

    Target() {
        this(25);
    }

    /** {@code containerThreads} bounds how many requests it serves at once; slow stubs each hold one. */
    Target(int containerThreads) {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(containerThreads));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody(RESPONSE_BODY)));
    }

    /** Adds a stub ahead of the default 200 (WireMock prefers the most recent match). */
    void stub(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    /** The absolute URL of {@code path} on this target. */
    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** Every request received on {@code path}, oldest first. */
    List<LoggedRequest> requests(String path) {
        return server.findAll(anyRequestedFor(urlPathEqualTo(path))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .toList();
    }

    /** Waits until at least {@code count} requests arrived on {@code path}; fails after {@code timeout}. */
    List<LoggedRequest> awaitRequests(String path, int count, Duration timeout) {
        return Poll.until("at least " + count + " request(s) on " + path, timeout,
                () -> requests(path), list -> list.size() >= count);
    }

    static Instant arrival(LoggedRequest request) {
        return request.getLoggedDate().toInstant();
    }

    @Override
    public void close() {
        server.stop();
    }
}
