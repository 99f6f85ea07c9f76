package io.batchyard.readers.blob;

/**
 * There is no blob under a key.
 */
public class NoSuchBlobException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public NoSuchBlobException(String message, Throwable cause) {
		super(message, cause);
	}

}
