package io.batchyard.jobs.imageingest;

/**
 * One image cannot be ingested (a bad URL, a download that failed, bytes that are no JPEG
 * or PNG): the image fails with this message, the batch goes on.
 */
public class ImageRejectedException extends Exception {

	private static final long serialVersionUID = 1L;

	public ImageRejectedException(String message) {
		super(message);
	}

}
