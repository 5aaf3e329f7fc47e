package dev.likes.support;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * Reads Kubernetes YAML into fabric8's model types and rejects what an API server would reject
 * for the mistakes that matter here: a field the type does not have (unknown or misspelt), a
 * value of the wrong type, a repeated key, a missing required field, an unknown value of an
 * enumerated field, and a malformed quantity. fabric8 keeps unknown fields in
 * {@code additionalProperties} instead of failing, so every object read is walked and any such
 * field is reported with its path.
 */
public final class StrictManifests {

    /** A manifest that could not be read strictly; the message lists every problem found. */
    public static class InvalidManifest extends RuntimeException {
        InvalidManifest(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "batch/v1/Job", Job.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class,
            "postgresql.cnpg.io/v1/Cluster", CloudNativePgCluster.class);

    /** Required fields per kind as the API defines them; {@code *} stands for every element of a list. */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "Deployment", List.of("spec/selector", "spec/template/spec/containers",
                    "spec/template/spec/containers/*/name", "spec/template/spec/containers/*/image"),
            "Job", List.of("spec/template/spec/containers", "spec/template/spec/containers/*/name",
                    "spec/template/spec/containers/*/image"),
            "Service", List.of("spec/ports/*/port"),
            "HorizontalPodAutoscaler", List.of("spec/scaleTargetRef/kind", "spec/scaleTargetRef/name", "spec/maxReplicas"),
            "NetworkPolicy", List.of("spec/podSelector"),
            "ServiceMonitor", List.of("spec/selector"),
            "PrometheusRule", List.of("spec/groups/*/name", "spec/groups/*/rules", "spec/groups/*/rules/*/expr"),
            "Cluster", List.of("spec/instances", "spec/storage/size"));

    /** Fields, wherever they appear, whose value must be one of a fixed set. */
    private static final Map<String, Set<String>> ENUMERATED = Map.of(
            "protocol", Set.of("TCP", "UDP", "SCTP"),
            "policyTypes", Set.of("Ingress", "Egress"),
            "imagePullPolicy", Set.of("Always", "IfNotPresent", "Never"),
            "restartPolicy", Set.of("Always", "OnFailure", "Never"),
            // CloudNativePG's spec.postgresql.synchronous
            "dataDurability", Set.of("required", "preferred"));

    /** Kubernetes' quantity syntax: a number and an optional suffix (512Mi, 500m, 2, 1e3). */
    private static final Pattern QUANTITY = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");

    private final YAMLMapper yaml = YAMLMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    public StrictManifests() {
        // "replicas: '2'" or "name: 80" is a wrong type, as it is for the API server.
        for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            for (CoercionInputShape shape : List.of(CoercionInputShape.String, CoercionInputShape.Integer,
                    CoercionInputShape.Float, CoercionInputShape.Boolean)) {
                yaml.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
            }
        }
    }

    /** Every document of a YAML text (separated by ---), read strictly. */
    public List<HasMetadata> read(String source, String text) {
        try {
            List<HasMetadata> resources = new ArrayList<>();
            for (JsonNode document : yaml.readerFor(JsonNode.class).<JsonNode> readValues(text).readAll()) {
                if (!document.isNull() && !document.isMissingNode()) {
                    resources.add(readOne(source, document));
                }
            }
            return resources;
        } catch (IOException e) {
            throw new InvalidManifest(source + ": " + e.getMessage(), e);
        }
    }

    private HasMetadata readOne(String source, JsonNode document) throws IOException {
        String apiVersion = document.path("apiVersion").asText();
        String kind = document.path("kind").asText();
        Class<? extends HasMetadata> type = TYPES.get(apiVersion + "/" + kind);
        if (type == null) {
            throw new InvalidManifest(source + ": no known type for apiVersion '" + apiVersion + "' kind '" + kind + "'", null);
        }
        List<String> problems = new ArrayList<>();
        for (String path : REQUIRED.getOrDefault(kind, List.of())) {
            missing(document, path.split("/"), 0, kind, problems);
        }
        if (document.path("metadata").path("name").asText().isEmpty()) {
            problems.add(kind + ": metadata.name is required");
        }
        values(document, kind, problems);
        HasMetadata resource;
        try {
            resource = yaml.treeToValue(document, type);
        } catch (JsonProcessingException e) {
            throw new InvalidManifest(source + ": " + kind + ": " + e.getOriginalMessage(), e);
        }
        unknownFields(resource, kind, problems);
        if (!problems.isEmpty()) {
            throw new InvalidManifest(source + ": " + String.join("; ", problems), null);
        }
        return resource;
    }

    private static void missing(JsonNode node, String[] path, int step, String at, List<String> problems) {
        if (step == path.length) {
            if (node.isMissingNode() || node.isNull() || (node.isContainerNode() && node.isEmpty())) {
                problems.add(at + " is required");
            }
            return;
        }
        if (path[step].equals("*")) {
            if (!node.isArray()) {
                problems.add(at + " must be a list");
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                missing(node.get(i), path, step + 1, at + "[" + i + "]", problems);
            }
        } else {
            missing(node.path(path[step]), path, step + 1, at + "." + path[step], problems);
        }
    }

    /** Checks enumerated fields and resource quantities anywhere in the document. */
    private static void values(JsonNode node, String at, List<String> problems) {
        node.fields().forEachRemaining(field -> {
            String name = field.getKey();
            JsonNode value = field.getValue();
            Set<String> allowed = ENUMERATED.get(name);
            if (allowed != null) {
                for (JsonNode element : value.isArray() ? value : List.of(value)) {
                    if (!allowed.contains(element.asText())) {
                        problems.add(at + "." + name + ": '" + element.asText() + "' is not one of " + new TreeSet<>(allowed));
                    }
                }
            }
            if (name.equals("method") && at.endsWith(".synchronous") && !Set.of("any", "first").contains(value.asText())) {
                problems.add(at + ".method: '" + value.asText() + "' is not one of [any, first]");
            }
            if (name.equals("size") && at.endsWith(".storage") && !QUANTITY.matcher(value.asText()).matches()) {
                problems.add(at + ".size: '" + value.asText() + "' is not a quantity");
            }
            if ((name.equals("requests") || name.equals("limits")) && at.endsWith(".resources")) {
                value.fields().forEachRemaining(q -> {
                    if (!QUANTITY.matcher(q.getValue().asText()).matches()) {
                        problems.add(at + "." + name + "." + q.getKey() + ": '" + q.getValue().asText() + "' is not a quantity");
                    }
                });
            }
        });
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                values(node.get(i), at + "[" + i + "]", problems);
            }
        } else {
            node.fields().forEachRemaining(field -> values(field.getValue(), at + "." + field.getKey(), problems));
        }
    }

    /** Walks fabric8 objects; whatever landed in additionalProperties is a field the type does not have. */
    private static void unknownFields(Object value, String at, List<String> problems) {
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object element : list) {
                unknownFields(element, at + "[" + i++ + "]", problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> unknownFields(element, at + "." + key, problems));
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.")) {
            for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    Object child = read(field, value);
                    if (field.getName().equals("additionalProperties") && child instanceof Map<?, ?> extra) {
                        String owner = type.getSimpleName();
                        extra.keySet().forEach(name -> problems.add(at + "." + name + " is not a field of " + owner));
                    } else {
                        unknownFields(child, at + "." + field.getName(), problems);
                    }
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
