package dev.cronhook.api.web;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The dashboard's page ({@code /}), the API description ({@code /openapi.json}) and its reader ({@code /docs}): fixed
 * documents read once from the jar. The dashboard's scripts and styles are served under {@code /ui} by
 * {@link WebAssets}.
 */
public final class WebPages implements HttpService {
    private final byte[] dashboard = read("web/index.html");
    private final byte[] docs = read("web/docs.html");
    private final byte[] openApi = read("openapi/openapi.json");

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> send(res, MediaTypes.TEXT_HTML, dashboard))
                .get("/docs", (req, res) -> send(res, MediaTypes.TEXT_HTML, docs))
                .get("/openapi.json", (req, res) -> send(res, MediaTypes.APPLICATION_JSON, openApi));
    }

    private static void send(ServerResponse res, MediaType type, byte[] content) {
        res.header(HeaderNames.CONTENT_TYPE, type.text() + "; charset=UTF-8");
        // A new version of the server may change the page and the scripts it names: always ask.
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(content);
    }

    static byte[] read(String resource) {
        try (InputStream in = WebPages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar holds no " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
