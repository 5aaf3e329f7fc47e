package dev.likes.live;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An item's count, as a live event; {@link #HEARTBEAT} is the keep-alive that carries none. */
@Schema(name = "ItemCount")
public record ItemCount(
        @Schema(required = true, examples = "post-42") String itemId,
        @Schema(required = true, examples = "1250") long likes) {

    static final ItemCount HEARTBEAT = new ItemCount(null, -1);
}
