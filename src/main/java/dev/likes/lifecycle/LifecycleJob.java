package dev.likes.lifecycle;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A lifecycle request and its progress: the leader works it off in batches, and it says when it is done. */
@Schema(name = "LifecycleJob")
public record LifecycleJob(
        @Schema(required = true, description = "Poll GET /v1/lifecycle/jobs/{id} until state is 'done'") UUID id,
        @JsonIgnore JobKind kind,
        @Schema(required = true, examples = "user-42", description = "The user or item the job is about") String subject,
        @Schema(required = true, enumeration = {"running", "done"}) String state,
        @Schema(required = true, description = "Like rows moved so far (erased, removed, suspended or reinstated)") long likes,
        @Schema(required = true) OffsetDateTime requestedAt,
        @Schema(nullable = true) OffsetDateTime finishedAt,
        @JsonIgnore @Schema(hidden = true) List<String> fence) {

    @JsonProperty("kind")
    @Schema(required = true, enumeration = {"erase-user", "remove-item", "suspend-user", "reinstate-user"})
    public String kindLabel() {
        return kind.label;
    }
}
