package io.batchyard.jobs.imageingest;

import java.util.concurrent.CompletableFuture;

/**
 * An image the reader has started ingesting: the row and its outcome to come.
 *
 * @param image the image
 * @param outcome how its ingestion ends
 */
public record InFlightImage(ImageRow image, CompletableFuture<ImageOutcome> outcome) {

	@Override
	public String toString() {
		return this.image.toString();
	}

}
