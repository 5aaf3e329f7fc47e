package dev.likes.lifecycle;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.likes.api.ConflictException;
import dev.likes.api.IdRules;
import dev.likes.auth.AccessPolicy;
import io.smallrye.mutiny.Uni;

/**
 * The rules of the lifecycle: who may erase, remove, suspend and reinstate (see {@link AccessPolicy}),
 * checked before anything changes. A request takes effect at once (a removed item refuses clicks, a
 * suspended user's clicks are refused) and leaves a job that the leader works off ({@link LifecycleJobs}).
 */
@ApplicationScoped
public class LifecycleService {

    private final LifecycleStore store;
    private final AccessPolicy access;

    public LifecycleService(LifecycleStore store, AccessPolicy access) {
        this.store = store;
        this.access = access;
    }

    /** The user themself, a backend acting for users, or an operator. */
    public Uni<LifecycleJob> erase(String userId) {
        String user = IdRules.require("userId", userId);
        return access.actForOrOperate(user).chain(() -> store.request(JobKind.ERASE_USER, user));
    }

    /** A backend or an operator. */
    public Uni<LifecycleJob> remove(String itemId) {
        String item = IdRules.require("itemId", itemId);
        return access.backendOrOperate().chain(() -> store.request(JobKind.REMOVE_ITEM, item));
    }

    /** Operators only; 409 while the item's removal is under way, 404 when it is not removed. */
    public Uni<Void> restore(String itemId) {
        String item = IdRules.require("itemId", itemId);
        return access.operate().chain(() -> store.lift(item)).map(lifted -> {
            if (lifted == null) {
                throw new ConflictException("Item '" + item + "' is still being removed; restore it once its job is done", 5);
            }
            if (!lifted) {
                throw new NotFoundException();
            }
            return null;
        });
    }

    /** Operators only. */
    public Uni<LifecycleJob> suspend(String userId) {
        String user = IdRules.require("userId", userId);
        return access.operate().chain(() -> store.request(JobKind.SUSPEND_USER, user));
    }

    /** Operators only. */
    public Uni<LifecycleJob> reinstate(String userId) {
        String user = IdRules.require("userId", userId);
        return access.operate().chain(() -> store.request(JobKind.REINSTATE_USER, user));
    }

    /** Operators only: since when the user is suspended; 404 when not. */
    public Uni<Suspension> suspension(String userId) {
        String user = IdRules.require("userId", userId);
        return access.operate().chain(() -> store.suspendedSince(user)).map(since -> {
            if (since == null) {
                throw new NotFoundException();
            }
            return new Suspension(user, since);
        });
    }

    /**
     * A job: an erasure for its user, backends and operators; a removal for backends and operators;
     * a suspension or reinstatement for operators. An id that is not a job's is not found, for any
     * caller with a valid token (401 without one).
     */
    public Uni<LifecycleJob> job(String jobId) {
        // Whether a job exists is told to callers with a token only.
        return access.authenticated().chain(() -> store.job(parse(jobId))).flatMap(job -> {
            if (job == null) {
                throw new NotFoundException();
            }
            Uni<Void> allowed = switch (job.kind()) {
                case ERASE_USER -> access.actForOrOperate(job.subject());
                case REMOVE_ITEM -> access.backendOrOperate();
                // Who is suspended is the operators' business.
                case SUSPEND_USER, REINSTATE_USER -> access.operate();
            };
            return allowed.replaceWith(job);
        });
    }

    private static UUID parse(String jobId) {
        try {
            if (jobId != null && jobId.length() == 36) {
                UUID id = UUID.fromString(jobId);
                if (id.toString().equals(jobId)) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // not a job id: not found below
        }
        throw new NotFoundException();
    }

    /** A suspended user, and since when. */
    @Schema(name = "Suspension")
    public record Suspension(
            @Schema(required = true, examples = "bot-17") String userId,
            @Schema(required = true, description = "When the suspension took effect") OffsetDateTime since) {
    }
}
