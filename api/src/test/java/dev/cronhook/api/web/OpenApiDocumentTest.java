package dev.cronhook.api.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.api.CronhookServer;
import dev.cronhook.api.Settings;
import dev.cronhook.api.codec.ChannelCodec;
import dev.cronhook.api.codec.CheckCodec;
import dev.cronhook.api.codec.IntegrationCodec;
import dev.cronhook.api.codec.JobCodec;
import dev.cronhook.api.codec.SilenceCodec;
import dev.cronhook.api.codec.WebhookCodec;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /openapi.json} is a maintained document: it must parse as OpenAPI 3.1 and list exactly the {@code /v1} routes
 * the server registers (by method and path template), so a route added, renamed or removed without the document, or
 * the reverse, fails here. The routes come from a real server wired as {@code Main} wires it.
 */
class OpenApiDocumentTest {
    @TempDir
    Path data;

    @Test
    void theDocumentIsOpenApi31AndListsExactlyTheServersV1Routes() {
        String text = new String(WebPages.read("openapi/openapi.json"), StandardCharsets.UTF_8);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
        assertEquals(List.of(), result.getMessages(), "the parser's complaints");
        OpenAPI document = result.getOpenAPI();
        assertNotNull(document);
        assertEquals("3.1.0", document.getOpenapi());
        assertEquals(SpecVersion.V31, document.getSpecVersion());

        Set<String> documented = new TreeSet<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method.name() + " " + path)));

        Set<String> served;
        Settings settings = Settings.load(Map.of("CRONHOOK_HOST", "127.0.0.1", "CRONHOOK_PORT", "0",
                "CRONHOOK_DATA_DIR", data.toString(), "CRONHOOK_ADMIN_KEY", "chk_openapi_test_key_000000000000000"));
        try (CronhookServer server = CronhookServer.start(settings, Clock.systemUTC(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            served = server.routes().stream()
                    .filter(route -> route.template().startsWith("/v1/") || route.template().equals("/v1"))
                    .map(route -> route.method() + " " + route.template())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertTrue(served.size() > 50, "the server's /v1 routes were recorded: " + served);

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> notServed = new TreeSet<>(documented);
        notServed.removeAll(served);
        assertEquals(Set.of(), undocumented, "routes the server answers that /openapi.json does not list");
        assertEquals(Set.of(), notServed, "routes /openapi.json lists that the server does not answer");
    }

    /** Each resource's request schema names the fields its codec reads, and marks read-only the ones it tolerates. */
    @Test
    void requestSchemasListExactlyTheFieldsTheCodecsRead() {
        OpenAPI document = new OpenAPIV3Parser().readContents(
                new String(WebPages.read("openapi/openapi.json"), StandardCharsets.UTF_8), null, null).getOpenAPI();
        Map<String, List<Set<String>>> codecs = Map.of(
                "JobInput", List.of(JobCodec.SETTABLE, JobCodec.READ_ONLY),
                "WebhookInput", List.of(WebhookCodec.SETTABLE, WebhookCodec.READ_ONLY),
                "IntegrationInput", List.of(IntegrationCodec.SETTABLE, IntegrationCodec.READ_ONLY),
                "ChannelInput", List.of(ChannelCodec.SETTABLE, ChannelCodec.READ_ONLY),
                "SilenceCreate", List.of(SilenceCodec.SETTABLE, SilenceCodec.READ_ONLY),
                "CheckInput", List.of(CheckCodec.SETTABLE, CheckCodec.READ_ONLY));
        codecs.forEach((name, fields) -> {
            Map<String, Schema> properties = document.getComponents().getSchemas().get(name).getProperties();
            Set<String> settable = new TreeSet<>();
            Set<String> readOnly = new TreeSet<>();
            properties.forEach((field, schema) -> (Boolean.TRUE.equals(schema.getReadOnly()) ? readOnly : settable)
                    .add(field));
            assertEquals(new TreeSet<>(fields.get(0)), settable, name + ": the fields a client sets");
            assertEquals(new TreeSet<>(fields.get(1)), readOnly, name + ": the read-only fields it tolerates");
        });
    }

    @Test
    void everyOperationNamesItsErrorsAndEveryWriteItsRefusal() {
        OpenAPI document = new OpenAPIV3Parser().readContents(
                new String(WebPages.read("openapi/openapi.json"), StandardCharsets.UTF_8), null, null).getOpenAPI();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String where = method + " " + path;
            assertTrue(operation.getResponses().containsKey("401"), where + " documents 401");
            if (method != PathItem.HttpMethod.GET) {
                assertTrue(operation.getResponses().containsKey("403"), where + " documents 403 for read keys");
            }
            if (operation.getRequestBody() != null) {
                assertTrue(operation.getResponses().containsKey("422"), where + " documents 422");
            }
            assertNotNull(operation.getOperationId(), where + " has an operationId");
        }));
    }
}
