package dev.likes.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

import dev.likes.support.StrictManifests;
import dev.likes.support.StrictManifests.InvalidManifest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/** deploy/kubernetes is valid Kubernetes, checked offline, and its parts fit together. */
class KubernetesManifestsTest {

    static final Path BASE = Path.of("deploy", "kubernetes", "base");
    static final Path MONITORED = Path.of("deploy", "kubernetes", "overlays", "prometheus-operator");

    final StrictManifests manifests = new StrictManifests();

    @ParameterizedTest
    @ValueSource(strings = {"deploy/kubernetes/base", "deploy/kubernetes/overlays/prometheus-operator"})
    void everyFileAKustomizationListsIsStrictlyValid(String directory) throws IOException {
        for (Path file : listedFiles(Path.of(directory))) {
            assertFalse(manifests.read(file.toString(), Files.readString(file)).isEmpty(), file + " has a resource");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/kubernetes/base", "deploy/kubernetes/overlays/prometheus-operator"})
    void theRenderedKustomizationIsStrictlyValid(String directory) throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl renders kustomizations; it is not installed here");
        List<HasMetadata> rendered = manifests.read(directory, kustomize(Path.of(directory)));
        assertEquals(directory.endsWith("base") ? 6 : 7, rendered.size(), "resources rendered");
        assertTrue(rendered.stream().allMatch(r -> "likes".equals(r.getMetadata().getLabels().get("app.kubernetes.io/part-of"))),
                "every resource is labelled as part of likes");
    }

    @Test
    void theServiceAutoscalerAndBudgetReachTheDeploymentsPods() throws IOException {
        Deployment deployment = one(Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertTrue(podLabels.entrySet().containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()));
        Service service = one(Service.class);
        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()));
        String targetPort = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
        assertTrue(container.getPorts().stream().anyMatch(p -> p.getName().equals(targetPort)), "targetPort names a container port");

        HorizontalPodAutoscaler autoscaler = one(HorizontalPodAutoscaler.class);
        assertEquals(deployment.getMetadata().getName(), autoscaler.getSpec().getScaleTargetRef().getName());
        assertEquals("Deployment", autoscaler.getSpec().getScaleTargetRef().getKind());
        PodDisruptionBudget budget = one(PodDisruptionBudget.class);
        assertTrue(podLabels.entrySet().containsAll(budget.getSpec().getSelector().getMatchLabels().entrySet()));
    }

    @Test
    void probesUseTheHealthEndpoints() throws IOException {
        Container container = one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
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
    void configurationComesFromTheConfigMapAndTheDatabaseSecret() throws IOException {
        Container container = one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        ConfigMap config = one(ConfigMap.class);
        assertEquals(config.getMetadata().getName(), container.getEnvFrom().get(0).getConfigMapRef().getName());
        assertTrue(config.getData().keySet().containsAll(List.of("LIKES_DB_HOST", "LIKES_DB_PORT", "LIKES_DB_NAME")));
        assertTrue(container.getEnv().stream().allMatch(e -> "likes-db".equals(e.getValueFrom().getSecretKeyRef().getName())),
                "credentials come from the likes-db secret");
    }

    @Test
    void theValidatorRejectsAMisspeltField() {
        String manifest = deployment().replace("replicas: 2", "replica: 2");
        InvalidManifest e = assertThrows(InvalidManifest.class, () -> manifests.read("misspelt", manifest));
        assertTrue(e.getMessage().contains("replica is not a field"), e.getMessage());
    }

    @Test
    void theValidatorRejectsAnUnknownNestedField() {
        String manifest = deployment().replace("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true");
        InvalidManifest e = assertThrows(InvalidManifest.class, () -> manifests.read("nested", manifest));
        assertTrue(e.getMessage().contains("readOnlyRootFileSystem is not a field"), e.getMessage());
    }

    @Test
    void theValidatorRejectsAWrongType() {
        assertThrows(InvalidManifest.class, () -> manifests.read("type", deployment().replace("replicas: 2", "replicas: \"2\"")));
        assertThrows(InvalidManifest.class, () -> manifests.read("type", deployment().replace("runAsNonRoot: true", "runAsNonRoot: yes please")));
    }

    @Test
    void theValidatorRejectsAMissingRequiredField() {
        String manifest = deployment().replace("image: likes-service", "imagePullPolicy: IfNotPresent");
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

    private static String path(Probe probe) {
        return probe.getHttpGet().getPath();
    }

    private static String deployment() {
        try {
            return Files.readString(BASE.resolve("deployment.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files a kustomization lists under resources (directories are other kustomizations). */
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

    private static boolean onPath(String command) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }
}
