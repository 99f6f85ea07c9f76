package io.batchyard.test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Real JPEG and PNG bytes, drawn and encoded with ImageIO.
 */
public final class TestImages {

	private TestImages() {
	}

	public static byte[] png(int width, int height) {
		return encode("png", draw(width, height));
	}

	public static byte[] jpeg(int width, int height) {
		return encode("jpeg", draw(width, height));
	}

	/**
	 * A PNG of noise, which hardly compresses: about {@code width * height * 3} bytes.
	 * @param width the width
	 * @param height the height
	 * @param seed the noise's seed
	 * @return the bytes
	 */
	public static byte[] noisyPng(int width, int height, long seed) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Random random = new Random(seed);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				image.setRGB(x, y, random.nextInt(0x1000000));
			}
		}
		return encode("png", image);
	}

	private static BufferedImage draw(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(new Color(200, 80, 40));
		graphics.fillRect(0, 0, width, height);
		graphics.setColor(Color.BLUE);
		graphics.drawLine(0, 0, width - 1, height - 1);
		graphics.dispose();
		return image;
	}

	private static byte[] encode(String format, BufferedImage image) {
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
