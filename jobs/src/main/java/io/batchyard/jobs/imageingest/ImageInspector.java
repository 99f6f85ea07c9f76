package io.batchyard.jobs.imageingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Whether bytes really are a JPEG or PNG: the file signature, then a header decode that
 * must give a width and a height. The pixels themselves are never decoded, so an image
 * whose header claims more pixels than the limit is refused before it could use the
 * memory.
 */
public class ImageInspector {

	static final String UNSUPPORTED = "Unsupported image format";

	private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	private final long maxPixels;

	public ImageInspector(long maxPixels) {
		this.maxPixels = maxPixels;
	}

	/**
	 * Inspects an image.
	 * @param bytes the content
	 * @return its format and size
	 * @throws ImageRejectedException {@value #UNSUPPORTED} unless it is a readable JPEG
	 * or PNG, or when it has too many pixels
	 */
	public ImageInfo inspect(byte[] bytes) throws ImageRejectedException {
		String format = format(bytes);
		if (format == null) {
			throw new ImageRejectedException(UNSUPPORTED);
		}
		Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
		if (!readers.hasNext()) {
			throw new ImageRejectedException(UNSUPPORTED);
		}
		ImageReader reader = readers.next();
		// In memory: ImageIO.createImageInputStream would cache to a temporary file.
		try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
			reader.setInput(in, true, true);
			int width = reader.getWidth(0);
			int height = reader.getHeight(0);
			if (width <= 0 || height <= 0) {
				throw new ImageRejectedException(UNSUPPORTED);
			}
			if ((long) width * height > this.maxPixels) {
				throw new ImageRejectedException("Image too large: " + width + "x" + height
						+ " pixels is more than the limit of " + this.maxPixels);
			}
			return new ImageInfo(format, width, height);
		}
		catch (IOException | RuntimeException ex) {
			throw new ImageRejectedException(UNSUPPORTED);
		}
		finally {
			reader.dispose();
		}
	}

	private static String format(byte[] bytes) {
		if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
			return "jpeg";
		}
		if (bytes.length >= PNG.length) {
			for (int i = 0; i < PNG.length; i++) {
				if (bytes[i] != PNG[i]) {
					return null;
				}
			}
			return "png";
		}
		return null;
	}

	/**
	 * What the header says.
	 *
	 * @param format {@code jpeg} or {@code png}
	 * @param width the width in pixels
	 * @param height the height in pixels
	 */
	public record ImageInfo(String format, int width, int height) {

	}

}
