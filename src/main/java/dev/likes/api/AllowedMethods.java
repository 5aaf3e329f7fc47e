package dev.likes.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

/**
 * The methods each path of the API answers, read from the resources' own JAX-RS annotations, for the
 * {@code Allow} header of a 405 (the method-not-allowed failure does not carry it).
 */
@ApplicationScoped
public class AllowedMethods {

    private final BeanManager beans;
    private volatile List<Resource> resources;

    public AllowedMethods(BeanManager beans) {
        this.beans = beans;
    }

    /** The methods {@code path} answers, comma-separated, or null for a path the API does not have. */
    public String of(String path) {
        String asked = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Set<String> methods = new TreeSet<>();
        for (Resource resource : resources()) {
            if (resource.path.matcher(asked).matches()) {
                methods.addAll(resource.methods);
            }
        }
        if (methods.contains("GET")) {
            methods.add("HEAD"); // JAX-RS answers HEAD wherever it answers GET
        }
        return methods.isEmpty() ? null : String.join(", ", methods);
    }

    private List<Resource> resources() {
        List<Resource> found = resources;
        if (found == null) {
            found = new ArrayList<>();
            for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
                Path base = bean.getBeanClass().getAnnotation(Path.class);
                if (base != null) {
                    for (Method method : bean.getBeanClass().getDeclaredMethods()) {
                        String verb = verbOf(method);
                        if (verb != null) {
                            Path sub = method.getAnnotation(Path.class);
                            found.add(new Resource(pattern("/" + base.value() + "/" + (sub == null ? "" : sub.value())), Set.of(verb)));
                        }
                    }
                }
            }
            resources = found;
        }
        return found;
    }

    private static String verbOf(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /**
     * A path template ({@code /v1/items/{itemId}}) as a pattern: one segment per parameter (the
     * service's templates have no regular expressions of their own).
     */
    static Pattern pattern(String template) {
        String path = template.replaceAll("/+", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : path.split("(?=\\{)|(?<=})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private record Resource(Pattern path, Set<String> methods) {
    }
}
