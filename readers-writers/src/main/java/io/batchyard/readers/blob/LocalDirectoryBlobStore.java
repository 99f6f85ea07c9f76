package io.batchyard.readers.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.springframework.util.Assert;

/**
 * Blobs as files under a root directory (the embedded default's stand-in for S3). A put
 * writes a temporary file next to the target and moves it into place, so a crash leaves
 * either the old or the new blob.
 */
public final class LocalDirectoryBlobStore implements BlobStore {

	private final Path root;

	private LocalDirectoryBlobStore(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public InputStream open(String key) {
		Path file = resolve(key);
		try {
			return Files.newInputStream(file);
		}
		catch (NoSuchFileException ex) {
			throw new NoSuchBlobException("No blob '" + key + "' in " + this.root, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open blob '" + key + "'", ex);
		}
	}

	@Override
	public InputStream open(String key, long offset) {
		Path file = resolve(key);
		try {
			java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file);
			channel.position(offset);
			return java.nio.channels.Channels.newInputStream(channel);
		}
		catch (NoSuchFileException ex) {
			throw new NoSuchBlobException("No blob '" + key + "' in " + this.root, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open blob '" + key + "'", ex);
		}
	}

	/**
	 * The file of a key (the embedded default serves it through signed URLs).
	 * @param key the key
	 * @return the file, which may not exist
	 */
	public Path file(String key) {
		return resolve(key);
	}

	@Override
	public void put(String key, InputStream content, long length) {
		Path file = resolve(key);
		try {
			Files.createDirectories(file.getParent());
			Path temporary = Files.createTempFile(file.getParent(), ".put-", ".tmp");
			try {
				Files.copy(content, temporary, StandardCopyOption.REPLACE_EXISTING);
				try {
					Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				}
				catch (AtomicMoveNotSupportedException ex) {
					Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
				}
			}
			finally {
				Files.deleteIfExists(temporary);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write blob '" + key + "'", ex);
		}
	}

	@Override
	public boolean exists(String key) {
		return Files.isRegularFile(resolve(key));
	}

	@Override
	public void delete(String key) {
		try {
			Files.deleteIfExists(resolve(key));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete blob '" + key + "'", ex);
		}
	}

	private Path resolve(String key) {
		Assert.hasText(key, "A key is required");
		Path file = this.root.resolve(key).normalize();
		Assert.isTrue(file.startsWith(this.root) && !file.equals(this.root),
				() -> "Key '" + key + "' leaves the blob directory");
		return file;
	}

	@Override
	public String toString() {
		return "LocalDirectoryBlobStore[" + this.root + "]";
	}

	/**
	 * Builds a {@link LocalDirectoryBlobStore}.
	 */
	public static final class Builder {

		private Path root;

		private Builder() {
		}

		public Builder root(Path root) {
			this.root = root;
			return this;
		}

		public LocalDirectoryBlobStore build() {
			Assert.notNull(this.root, "A root directory is required");
			return new LocalDirectoryBlobStore(this.root);
		}

	}

}
