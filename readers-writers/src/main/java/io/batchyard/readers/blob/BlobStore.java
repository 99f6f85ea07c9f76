package io.batchyard.readers.blob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Blobs by key: S3 in production, a local directory on the embedded default. Keys use
 * {@code /} as separator. A put replaces the whole blob at once; a reader never sees a
 * half-written one.
 */
public interface BlobStore {

	/**
	 * Opens a blob for reading; the caller closes the stream.
	 * @param key the key
	 * @return the content
	 * @throws NoSuchBlobException when there is no blob under the key
	 */
	InputStream open(String key);

	/**
	 * Opens a blob for reading from a byte offset (a restarted reader resumes there); the
	 * caller closes the stream. An offset at or past the end gives an empty stream.
	 * @param key the key
	 * @param offset the offset of the first byte to read
	 * @return the content from the offset
	 * @throws NoSuchBlobException when there is no blob under the key
	 */
	default InputStream open(String key, long offset) {
		InputStream in = open(key);
		try {
			in.skipNBytes(offset);
			return in;
		}
		catch (java.io.EOFException ex) {
			return InputStream.nullInputStream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot skip to byte " + offset + " of blob '" + key + "'", ex);
		}
	}

	/**
	 * Writes a blob, replacing any blob under the key.
	 * @param key the key
	 * @param content the content, read to its end (not closed)
	 * @param length the content's length in bytes
	 */
	void put(String key, InputStream content, long length);

	/**
	 * Whether a blob exists under the key.
	 * @param key the key
	 * @return {@code true} if it exists
	 */
	boolean exists(String key);

	/**
	 * Deletes a blob; deleting a missing blob is not an error.
	 * @param key the key
	 */
	void delete(String key);

	/**
	 * Reads a whole (small) blob.
	 * @param key the key
	 * @return the bytes
	 * @throws NoSuchBlobException when there is no blob under the key
	 */
	default byte[] read(String key) {
		try (InputStream in = open(key)) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read blob '" + key + "'", ex);
		}
	}

	/**
	 * Writes a whole (small) blob.
	 * @param key the key
	 * @param content the bytes
	 */
	default void write(String key, byte[] content) {
		put(key, new ByteArrayInputStream(content), content.length);
	}

}
