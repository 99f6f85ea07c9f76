package io.batchyard.launcher.dashboard.images;

import java.util.List;

import io.batchyard.jobs.imageingest.ImageBatches.ImageBatch;
import io.batchyard.launcher.dashboard.DashboardView;
import io.batchyard.launcher.dashboard.Flash;
import io.batchyard.launcher.imagebatch.ImageBatchStates;
import io.batchyard.launcher.imagebatch.ImageBatchStates.ImageBatchState;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The image batches of the batch image API: their progress and counts, and per batch
 * every image with its status, blob path and error, shown as the API shows them (a batch
 * whose execution ended unfinished is failed, with the reason). A batch still at work
 * refreshes its page every few seconds.
 */
@Controller
class ImageBatchesPageController {

	static final int BATCHES_SHOWN = 100;

	private final ImageBatchStates states;

	ImageBatchesPageController(ImageBatchStates imageBatchStates) {
		this.states = imageBatchStates;
	}

	@GetMapping("/image-batches")
	String batches(Model model) {
		List<ImageBatch> all = this.states.listWithoutImages().stream().map(ImageBatchState::batch).toList();
		model.addAttribute("batches", all.subList(0, Math.min(all.size(), BATCHES_SHOWN)));
		model.addAttribute("total", all.size());
		model.addAttribute("shown", BATCHES_SHOWN);
		return "dashboard/image-batches";
	}

	@GetMapping("/image-batches/{id}")
	String batch(@PathVariable String id, Model model, RedirectAttributes redirect) {
		ImageBatchState state = this.states.find(id).orElse(null);
		if (state == null) {
			Flash.error(redirect, "No image batch " + id + " (batches are deleted a while after they end)");
			return "redirect:/image-batches";
		}
		model.addAttribute("batch", state.batch());
		model.addAttribute("images", state.images());
		model.addAttribute("error", state.error());
		return "dashboard/image-batch";
	}

	@Configuration(proxyBeanMethods = false)
	static class ImageBatchesView {

		@Bean
		DashboardView imageBatchesDashboardView() {
			return new DashboardView() {

				@Override
				public String title() {
					return "Image batches";
				}

				@Override
				public String path() {
					return "/image-batches";
				}

			};
		}

	}

}
