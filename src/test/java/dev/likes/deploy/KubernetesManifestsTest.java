package dev.likes.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.likes.support.CloudNativePgCluster;
import dev.likes.support.Commands;
import dev.likes.support.StrictManifests;
import dev.likes.support.StrictManifests.InvalidManifest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/** deploy/kubernetes is valid Kubernetes, checked offline, and its parts fit together. */
class KubernetesManifestsTest {

    static final Path BASE = Path.of("deploy", "kubernetes", "base");
    static final Path MONITORED = Path.of("deploy", "kubernetes", "overlays", "prometheus-operator");
    static final Path CLOUDNATIVE_PG = Path.of("deploy", "kubernetes", "overlays", "cloudnative-pg");

    final StrictManifests manifests = new StrictManifests();

    @ParameterizedTest
    @ValueSource(strings = {"deploy/kubernetes/base", "deploy/kubernetes/overlays/prometheus-operator",
            "deploy/kubernetes/overlays/cloudnative-pg"})
    void everyFileAKustomizationListsIsStrictlyValid(String directory) throws IOException {
        for (Path file : listedFiles(Path.of(directory))) {
            assertFalse(manifests.read(file.toString(), Files.readString(file)).isEmpty(), file + " has a resource");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/kubernetes/base", "deploy/kubernetes/overlays/prometheus-operator",
            "deploy/kubernetes/overlays/cloudnative-pg"})
    void theRenderedKustomizationIsStrictlyValid(String directory) throws Exception {
        Commands.need("kubectl", "LIKES_REQUIRE_KUBECTL", "renders the kustomizations");
        List<HasMetadata> rendered = manifests.read(directory, kustomize(Path.of(directory)));
        int expected = switch (directory.substring(directory.lastIndexOf('/') + 1)) {
            case "base" -> 7;
            case "prometheus-operator" -> 10; // + ServiceMonitor, PrometheusRule, dashboard ConfigMap
            default -> 8;
        };
        assertEquals(expected, rendered.size(), "resources rendered");
        assertTrue(rendered.stream().allMatch(r -> "likes".equals(r.getMetadata().getLabels().get("app.kubernetes.io/part-of"))),
                "every resource is labelled as part of likes");
    }

    @Test
    void theServiceAutoscalerAndBudgetReachTheDeploymentsPods() throws IOException {
        Deployment deployment = one(Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertSelects(deployment.getSpec().getSelector().getMatchLabels(), podLabels);
        Service service = one(Service.class);
        assertSelects(service.getSpec().getSelector(), podLabels);
        String targetPort = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
        assertTrue(container.getPorts().stream().anyMatch(p -> p.getName().equals(targetPort)), "targetPort names a container port");

        HorizontalPodAutoscaler autoscaler = one(HorizontalPodAutoscaler.class);
        assertEquals(deployment.getMetadata().getName(), autoscaler.getSpec().getScaleTargetRef().getName());
        assertEquals("Deployment", autoscaler.getSpec().getScaleTargetRef().getKind());
        assertSelects(one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels(), podLabels);
        NetworkPolicy policy = one(NetworkPolicy.class);
        assertSelects(policy.getSpec().getPodSelector().getMatchLabels(), podLabels);
        var publicRule = policy.getSpec().getIngress().get(0);
        assertEquals(List.of(container.getPorts().get(0).getContainerPort()),
                publicRule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList(), "the public port");
        assertEquals("ingress-nginx", publicRule.getFrom().get(0).getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"),
                "the public port admits the ingress controller's namespace");
        var managementRule = policy.getSpec().getIngress().get(1);
        assertEquals(List.of(9000), managementRule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList(),
                "the management port");
        assertEquals(List.of("monitoring"), managementRule.getFrom().stream()
                .map(peer -> peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name")).toList(),
                "the management port admits the monitoring namespace only");
    }

    @Test
    void theServiceMonitorScrapesTheServicesMetrics() throws IOException {
        Path file = MONITORED.resolve("servicemonitor.yaml");
        ServiceMonitor monitor = (ServiceMonitor) manifests.read(file.toString(), Files.readString(file)).get(0);
        Service service = one(Service.class);
        assertSelects(monitor.getSpec().getSelector().getMatchLabels(), service.getMetadata().getLabels());
        assertEquals("management", monitor.getSpec().getEndpoints().get(0).getPort());
        assertTrue(service.getSpec().getPorts().stream().anyMatch(port -> port.getName().equals("management")
                && port.getTargetPort().getStrVal().equals("management")), "the Service exposes the management port");
        assertEquals("/q/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
    }

    @Test
    void probesUseTheHealthEndpointsOnTheManagementPort() throws IOException {
        Container container = one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(container.getPorts().stream().anyMatch(port -> port.getName().equals("management") && port.getContainerPort() == 9000));
        for (var probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            assertEquals("management", probe.getHttpGet().getPort().getStrVal());
        }
        assertEquals("/q/health/started", path(container.getStartupProbe()));
        assertEquals("/q/health/live", path(container.getLivenessProbe()));
        assertEquals("/q/health/ready", path(container.getReadinessProbe()));
    }

    @Test
    void theContainerRunsLockedDown() throws IOException {
        var pod = one(Deployment.class).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), "a writable /tmp");
        assertTrue(container.getResources().getRequests().containsKey("memory"));
        assertTrue(container.getResources().getLimits().containsKey("memory"));
    }

    @Test
    void onCloudNativePgWritesGoToThePrimaryAndPublicReadsToTheStandbys() throws Exception {
        CloudNativePgCluster cluster = (CloudNativePgCluster) manifests.read("cluster.yaml",
                Files.readString(CLOUDNATIVE_PG.resolve("cluster.yaml"))).get(0);
        assertTrue(cluster.getSpec().instances() >= 2, "a primary and a standby at least");
        assertEquals("required", cluster.getSpec().postgresql().synchronous().dataDurability(),
                "a like is acknowledged only once a standby has it");
        assertTrue(cluster.getSpec().postgresql().synchronous().number() >= 1);

        Commands.need("kubectl", "LIKES_REQUIRE_KUBECTL", "renders the kustomizations");
        List<HasMetadata> rendered = manifests.read("cloudnative-pg", kustomize(CLOUDNATIVE_PG));
        String name = cluster.getMetadata().getName();
        ConfigMap config = only(rendered, ConfigMap.class);
        assertEquals(name + "-rw", config.getData().get("LIKES_DB_HOST"), "the operator's service for the primary");
        assertEquals(name + "-ro", config.getData().get("LIKES_DB_READ_HOST"), "and for the standbys");
        Container container = only(rendered, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        for (String variable : List.of("LIKES_DB_USER", "LIKES_DB_PASSWORD")) {
            assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals(variable)
                    && (name + "-app").equals(e.getValueFrom().getSecretKeyRef().getName())), variable + " from the operator's secret");
        }
    }

    @Test
    void theValidatorRejectsAnUnknownFieldOfACloudNativePgCluster() throws IOException {
        String cluster = Files.readString(CLOUDNATIVE_PG.resolve("cluster.yaml")).replace("dataDurability:", "durability:");
        assertThrows(InvalidManifest.class, () -> manifests.read("cluster", cluster));
        String method = Files.readString(CLOUDNATIVE_PG.resolve("cluster.yaml")).replace("method: any", "method: all");
        assertThrows(InvalidManifest.class, () -> manifests.read("cluster", method));
    }

    @Test
    void configurationComesFromTheConfigMapAndTheDatabaseSecret() throws IOException {
        Container container = one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        ConfigMap config = one(ConfigMap.class);
        assertEquals(config.getMetadata().getName(), container.getEnvFrom().get(0).getConfigMapRef().getName());
        assertTrue(config.getData().keySet().containsAll(List.of("LIKES_DB_HOST", "LIKES_DB_PORT", "LIKES_DB_NAME")));
        for (String variable : List.of("LIKES_DB_USER", "LIKES_DB_PASSWORD")) {
            assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals(variable)
                    && "likes-db".equals(e.getValueFrom().getSecretKeyRef().getName())), variable + " from the likes-db secret");
        }
    }

    /** Migrations are a step of their own: the Job migrates and exits, the replicas only check the schema. */
    @Test
    void migrationsAreTheJobsNotEachReplicas() throws Exception {
        Container service = one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        Job job = one(Job.class);
        Container migrate = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("false", value(service, "LIKES_MIGRATE_AT_START"));
        assertEquals("true", value(migrate, "LIKES_MIGRATE_AT_START"));
        assertEquals("true", value(migrate, "QUARKUS_INIT_AND_EXIT"), "it migrates, then exits");
        assertEquals(service.getImage(), migrate.getImage(), "the same image: the migrations the replicas were built for");
        assertEquals(service.getEnvFrom(), migrate.getEnvFrom(), "the same database settings");
        assertEquals("OnFailure", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        assertTrue(job.getSpec().getTtlSecondsAfterFinished() > 0, "gone after a while, so that the next apply runs it again");

        Commands.need("kubectl", "LIKES_REQUIRE_KUBECTL", "renders the kustomizations");
        List<HasMetadata> rendered = manifests.read("cloudnative-pg", kustomize(CLOUDNATIVE_PG));
        Container renderedService = only(rendered, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        Container renderedMigrate = only(rendered, Job.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        for (String variable : List.of("LIKES_DB_USER", "LIKES_DB_PASSWORD")) {
            assertEquals(secretOf(renderedService, variable), secretOf(renderedMigrate, variable), variable + ": the Job's credentials are the replicas'");
        }
    }

    private static String value(Container container, String variable) {
        return container.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst().orElseThrow().getValue();
    }

    private static String secretOf(Container container, String variable) {
        return container.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef().getName();
    }

    @Test
    void theValidatorRejectsAMisspeltField() {
        String manifest = deploymentWith("revisionHistoryLimit: 5", "revisionHistoryLimt: 5");
        InvalidManifest e = assertThrows(InvalidManifest.class, () -> manifests.read("misspelt", manifest));
        assertTrue(e.getMessage().contains("revisionHistoryLimt is not a field"), e.getMessage());
    }

    @Test
    void theValidatorRejectsAnUnknownNestedField() {
        String manifest = deploymentWith("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true");
        InvalidManifest e = assertThrows(InvalidManifest.class, () -> manifests.read("nested", manifest));
        assertTrue(e.getMessage().contains("readOnlyRootFileSystem is not a field"), e.getMessage());
    }

    @Test
    void theValidatorRejectsAWrongType() {
        assertThrows(InvalidManifest.class, () -> manifests.read("type", deploymentWith("revisionHistoryLimit: 5", "revisionHistoryLimit: \"5\"")));
        assertThrows(InvalidManifest.class, () -> manifests.read("type", deploymentWith("runAsNonRoot: true", "runAsNonRoot: yes please")));
    }

    @Test
    void theValidatorRejectsUnknownValuesRepeatedKeysAndBadQuantities() {
        assertThrows(InvalidManifest.class, () -> manifests.read("enum", deploymentWith("protocol: TCP", "protocol: TCPP")));
        assertThrows(InvalidManifest.class, () -> manifests.read("quantity", deploymentWith("memory: 768Mi", "memory: 768MB")));
        assertThrows(InvalidManifest.class, () -> manifests.read("repeat",
                deploymentWith("revisionHistoryLimit: 5", "revisionHistoryLimit: 5\n  revisionHistoryLimit: 6")));
    }

    @Test
    void theValidatorRejectsAMissingRequiredField() {
        String manifest = deploymentWith("image: likes-service", "imagePullPolicy: IfNotPresent");
        InvalidManifest e = assertThrows(InvalidManifest.class, () -> manifests.read("required", manifest));
        assertTrue(e.getMessage().contains("image is required"), e.getMessage());
    }

    @Test
    void theComposeStackBuildsTheContainerfileFromThePackagedApplication() throws IOException {
        JsonNode compose = new YAMLMapper().readTree(Path.of("deploy", "compose.yaml").toFile());
        JsonNode build = compose.path("services").path("likes").path("build");
        Path context = Path.of("deploy").resolve(build.path("context").asText()).normalize();
        assertEquals(Path.of("target", "quarkus-app"), context);
        assertEquals(Path.of("deploy", "Containerfile"), context.resolve(build.path("dockerfile").asText()).normalize());
        assertTrue(Files.exists(Path.of("deploy", "Containerfile")));
    }

    private <T extends HasMetadata> T one(Class<T> type) throws IOException {
        List<T> found = new ArrayList<>();
        for (Path file : listedFiles(BASE)) {
            manifests.read(file.toString(), Files.readString(file)).stream().filter(type::isInstance).map(type::cast)
                    .forEach(found::add);
        }
        assertEquals(1, found.size(), "one " + type.getSimpleName() + " in the base");
        return found.get(0);
    }

    private static void assertSelects(Map<String, String> selector, Map<String, String> labels) {
        assertFalse(selector == null || selector.isEmpty(), "a selector that selects something");
        assertTrue(labels.entrySet().containsAll(selector.entrySet()), selector + " selects " + labels);
    }

    private static String path(Probe probe) {
        return probe.getHttpGet().getPath();
    }

    /** The base deployment with one text replaced; the text must be there, so no mutation is a no-op. */
    private static String deploymentWith(String text, String replacement) {
        try {
            String deployment = Files.readString(BASE.resolve("deployment.yaml"));
            assertTrue(deployment.contains(text), "deployment.yaml contains " + text);
            return deployment.replace(text, replacement);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files a kustomization lists under resources (directories are other kustomizations). */
    private static <T extends HasMetadata> T only(List<HasMetadata> resources, Class<T> type) {
        List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), "one " + type.getSimpleName());
        return found.get(0);
    }

    private static List<Path> listedFiles(Path directory) throws IOException {
        JsonNode kustomization = new YAMLMapper().readTree(directory.resolve("kustomization.yaml").toFile());
        List<Path> files = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = directory.resolve(resource.asText()).normalize();
            assertTrue(Files.exists(path), "listed in " + directory + ": " + path);
            if (Files.isRegularFile(path)) {
                files.add(path);
            }
        }
        return files;
    }

    private static String kustomize(Path directory) throws Exception {
        Process process = new ProcessBuilder("kubectl", "kustomize", directory.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize finished");
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
