package dev.likes.deploy;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.likes.support.Commands;
import dev.likes.support.Management;
import dev.likes.support.StrictManifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The alerts and the dashboard of the prometheus-operator overlay name only metrics the service
 * exports, and promtool accepts the rules (CI installs it: Debian's prometheus package).
 */
@QuarkusTest
class MonitoringTest {

    static final Path OVERLAY = Path.of("deploy", "kubernetes", "overlays", "prometheus-operator");
    /** Every metric family a rule or panel may name: the service's own, HTTP, the pool, the JVM. */
    static final Pattern METRIC = Pattern.compile("\\b((?:likes|http_server|sql_pool|jvm|process)_[a-z_]+)\\b");

    final StrictManifests manifests = new StrictManifests();

    @Test
    void everyMetricTheAlertsAndTheDashboardNameIsExported() throws IOException {
        Set<String> named = new TreeSet<>();
        for (String expression : expressions()) {
            Matcher metric = METRIC.matcher(expression);
            while (metric.find()) {
                named.add(metric.group(1));
            }
        }
        assertTrue(named.size() >= 15, "metrics named: " + named);
        // Traffic first, so that every labelled series and histogram has a sample.
        String item = fresh("monitored");
        given().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        given().put("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        given().delete("/v1/items/{item}/likes/{user}", item, "ann").then().statusCode(200);
        given().get("/v1/items/{item}", "bad id!").then().statusCode(400);
        String exported = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> missing = named.stream().filter(name -> !Pattern.compile("(?m)^" + name + "[{ ]").matcher(exported).find()).toList();
        assertEquals(List.of(), missing, "named by a rule or a panel but not exported");
    }

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        PrometheusRule rule = rule();
        Path rules = Path.of("target", "prometheus-rules.yaml");
        new YAMLMapper().setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
                .writeValue(rules.toFile(), new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_EMPTY).valueToTree(rule.getSpec()));
        Commands.need("promtool", "LIKES_REQUIRE_PROMTOOL", "(Debian's prometheus package) checks the rules");
        Process check = new ProcessBuilder("promtool", "check", "rules", rules.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), output);
        assertTrue(output.contains("SUCCESS: " + rule.getSpec().getGroups().get(0).getRules().size() + " rules found"), output);
    }

    private PrometheusRule rule() throws IOException {
        Path file = OVERLAY.resolve("prometheusrule.yaml");
        return (PrometheusRule) manifests.read(file.toString(), Files.readString(file)).get(0);
    }

    private List<String> expressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        rule().getSpec().getGroups().forEach(group -> group.getRules().forEach(r -> expressions.add(r.getExpr().getStrVal())));
        Path file = OVERLAY.resolve("grafana-dashboard.yaml");
        ConfigMap dashboard = (ConfigMap) manifests.read(file.toString(), Files.readString(file)).get(0);
        JsonNode panels = new ObjectMapper().readTree(dashboard.getData().get("likes.json")).path("panels");
        assertFalse(panels.isEmpty(), "the dashboard has panels");
        panels.forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText())));
        return expressions;
    }
}
