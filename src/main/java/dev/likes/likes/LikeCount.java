package dev.likes.likes;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * An item's like count. Only the statements in {@link LikeStore} that add or remove a like row
 * move it, in the same statement; nothing writes it through this entity.
 */
@Entity
@Table(name = "like_counts")
public class LikeCount extends PanacheEntityBase {

    @Id
    @Column(name = "item_id", length = 64, nullable = false)
    public String itemId;

    @Column(nullable = false)
    public long likes;
}
