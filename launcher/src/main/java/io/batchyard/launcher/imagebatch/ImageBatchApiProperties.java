package io.batchyard.launcher.imagebatch;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The image batch API ({@code /api/v1/batch}), under {@code batchyard.image-batch-api}.
 *
 * @param maxRequestSize a submitted body larger than this is refused with 413
 * @param websocket the progress WebSocket
 */
@Validated
@ConfigurationProperties("batchyard.image-batch-api")
public record ImageBatchApiProperties(@DefaultValue("64MB") @NotNull DataSize maxRequestSize,
		@DefaultValue @Valid @NotNull WebSocket websocket) {

	/**
	 * The progress WebSocket.
	 *
	 * @param pollInterval how often the database is read for changes (any node can serve
	 * a subscriber, whichever node runs the job)
	 * @param pingInterval how often a ping frame is sent
	 * @param idleTimeout a connection from which nothing (no pong, no message) arrived
	 * for this long is closed
	 */
	public record WebSocket(@DefaultValue("500ms") @NotNull Duration pollInterval,
			@DefaultValue("20s") @NotNull Duration pingInterval, @DefaultValue("60s") @NotNull Duration idleTimeout) {

	}

}
