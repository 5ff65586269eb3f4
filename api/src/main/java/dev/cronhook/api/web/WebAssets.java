package dev.cronhook.api.web;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.Set;

/**
 * The dashboard's scripts and styles ({@code /ui}) and the two libraries it and {@code /docs} use, from their webjars
 * on the class path ({@code /webjars/uplot}, {@code /webjars/swagger-ui}), at paths without their version so that the
 * pages need not change when a library does. Nothing is fetched from elsewhere.
 */
public final class WebAssets {
    /** What /docs loads: the webjar's own index and initializer would point at a demo API elsewhere. */
    private static final Set<String> SWAGGER_UI_FILES = Set.of("swagger-ui-bundle.js", "swagger-ui.css");
    private static final Set<String> UPLOT_FILES = Set.of("dist/uPlot.esm.js", "dist/uPlot.min.css");
    private static final String NOWHERE = "/not-served";
    private WebAssets() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.register("/ui", StaticContentService.builder("web/ui").build());
        routing.register("/webjars/uplot", webjar("org.webjars.npm", "uplot", UPLOT_FILES));
        routing.register("/webjars/swagger-ui", webjar("org.webjars", "swagger-ui", SWAGGER_UI_FILES));
    }

    /** A webjar's files named in {@code served}; any other path of it (a demo page, sources) is not found. */
    private static StaticContentService webjar(String group, String artifact, Set<String> served) {
        return StaticContentService.builder("META-INF/resources/webjars/" + artifact + "/" + version(group, artifact))
                .pathMapper(path -> served.contains(path.startsWith("/") ? path.substring(1) : path) ? path : NOWHERE)
                .build();
    }

    /** The version a webjar names in its own Maven properties. */
    static String version(String group, String artifact) {
        String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the class path holds no webjar " + group + ":" + artifact);
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
