package dev.likes.likes;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One user's like of one item: the source of truth that every count is derived from. */
@Entity
@Table(name = "likes")
public class Like extends PanacheEntityBase {

    @EmbeddedId
    public Key id;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    /** The unique (item, user) key: a user likes an item at most once. */
    @Embeddable
    public record Key(
            @Column(name = "item_id", length = 64, nullable = false) String itemId,
            @Column(name = "user_id", length = 64, nullable = false) String userId) {
    }
}
