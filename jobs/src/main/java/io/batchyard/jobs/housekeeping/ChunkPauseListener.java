package io.batchyard.jobs.housekeeping;

import java.time.Duration;

import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Pauses before a chunk is written, to spread a bulk delete's load on a busy database.
 * The pause falls after the chunk's reads and before its writes, so it holds no row
 * locks.
 */
class ChunkPauseListener implements ChunkListener<Object, Object> {

	private final Duration pause;

	ChunkPauseListener(Duration pause) {
		this.pause = pause;
	}

	@Override
	public void beforeChunk(Chunk<Object> chunk) {
		if (this.pause.isZero() || this.pause.isNegative()) {
			return;
		}
		try {
			Thread.sleep(this.pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
