package dev.cronhook.api.web;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The dashboard's scripts and styles ({@code /ui}) and the two libraries it and {@code /docs} use, from their webjars
 * on the class path ({@code /webjars/uplot}, {@code /webjars/swagger-ui}), at paths without their version so that the
 * pages need not change when a library does. Nothing is fetched from elsewhere.
 */
public final class WebAssets {
    private WebAssets() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.register("/ui", StaticContentService.builder("web/ui").build());
        routing.register("/webjars/uplot", webjar("org.webjars.npm", "uplot"));
        routing.register("/webjars/swagger-ui", webjar("org.webjars", "swagger-ui"));
    }

    private static StaticContentService webjar(String group, String artifact) {
        return StaticContentService.builder("META-INF/resources/webjars/" + artifact + "/" + version(group, artifact))
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
