package io.batchyard.launcher.dashboard;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The one-line message shown at the top of the next page after an action: what was done,
 * or why it was refused (never a stack trace).
 */
public final class Flash {

	private Flash() {
	}

	public static void success(RedirectAttributes attributes, String message) {
		attributes.addFlashAttribute("flashKind", "success");
		attributes.addFlashAttribute("flash", message);
	}

	public static void error(RedirectAttributes attributes, String message) {
		attributes.addFlashAttribute("flashKind", "error");
		attributes.addFlashAttribute("flash", message);
	}

}
