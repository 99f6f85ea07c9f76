package io.batchyard.readers.blob;

import java.net.URI;
import java.time.Duration;

/**
 * Expiring URLs that let a client without credentials read or write one blob: S3
 * presigned URLs, or the application's own signed URLs over a local directory.
 */
public interface BlobUrlSigner {

	/**
	 * A URL to download a blob.
	 * @param key the key
	 * @param lifetime how long the URL works
	 * @return the URL
	 */
	URI signedGet(String key, Duration lifetime);

	/**
	 * A URL to upload a blob with an HTTP {@code PUT}.
	 * @param key the key
	 * @param lifetime how long the URL works
	 * @return the URL
	 */
	URI signedPut(String key, Duration lifetime);

}
