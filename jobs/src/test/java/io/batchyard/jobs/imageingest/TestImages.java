package io.batchyard.jobs.imageingest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/**
 * Real JPEG and PNG bytes, drawn and encoded with ImageIO.
 */
final class TestImages {

	private TestImages() {
	}

	static byte[] png(int width, int height) {
		return encode("png", width, height);
	}

	static byte[] jpeg(int width, int height) {
		return encode("jpeg", width, height);
	}

	private static byte[] encode(String format, int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(new Color(200, 80, 40));
		graphics.fillRect(0, 0, width, height);
		graphics.setColor(Color.BLUE);
		graphics.drawLine(0, 0, width - 1, height - 1);
		graphics.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, format, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

}
