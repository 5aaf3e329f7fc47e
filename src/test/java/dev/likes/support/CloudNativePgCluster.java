package dev.likes.support;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * The part of CloudNativePG's {@code Cluster} (postgresql.cnpg.io/v1) that the cloudnative-pg overlay
 * uses, field by field as CloudNativePG's API reference (1.25 and later) names them. fabric8 has no
 * model for it; these plain classes make {@link StrictManifests} refuse any other field (Jackson fails
 * on unknown properties of plain classes) and any value of the wrong type. A field the overlay starts
 * to use must be added here, checked against the reference.
 */
// Read as the plain class it is, not through fabric8's deserializer for HasMetadata (which makes any
// unknown kind a GenericKubernetesResource).
@JsonDeserialize(using = JsonDeserializer.None.class)
public class CloudNativePgCluster implements HasMetadata {

    private String apiVersion;
    private String kind;
    private ObjectMeta metadata;
    private Spec spec;

    public record Spec(Integer instances, String imageName, Boolean enableSuperuserAccess, Postgresql postgresql,
            Bootstrap bootstrap, Storage storage) {
    }

    /** {@code synchronous} is the quorum (or priority) synchronous replication of CloudNativePG 1.24+. */
    public record Postgresql(Map<String, String> parameters, Synchronous synchronous) {
    }

    public record Synchronous(String method, Integer number, String dataDurability) {
    }

    public record Bootstrap(InitDb initdb) {
    }

    public record InitDb(String database, String owner) {
    }

    public record Storage(String size, String storageClass) {
    }

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    @Override
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    public Spec getSpec() {
        return spec;
    }

    public void setSpec(Spec spec) {
        this.spec = spec;
    }
}
