package io.batchyard.jobs.imageingest;

/**
 * How ingesting one image ended.
 *
 * @param image the image
 * @param processedPath where it is stored, when completed
 * @param error why it failed, when failed
 */
public record ImageOutcome(ImageRow image, String processedPath, String error) {

	public static ImageOutcome completed(ImageRow image) {
		return new ImageOutcome(image, image.processedPath(), null);
	}

	public static ImageOutcome failed(ImageRow image, String error) {
		return new ImageOutcome(image, null, error);
	}

	public boolean completed() {
		return this.error == null;
	}

}
