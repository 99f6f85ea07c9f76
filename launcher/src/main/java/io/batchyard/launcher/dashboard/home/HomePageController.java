package io.batchyard.launcher.dashboard.home;

import java.time.LocalDateTime;
import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The home page: what needs attention now, each list empty when all is well.
 */
@Controller
class HomePageController {

	private final Attention attention;

	HomePageController(Attention attention) {
		this.attention = attention;
	}

	/**
	 * At most {@link Attention#LIMIT} entries of a list, and whether there were more.
	 *
	 * @param items the entries shown
	 * @param more whether more match
	 */
	record Section<T>(List<T> items, boolean more) {

		static <T> Section<T> of(List<T> fetched) {
			return (fetched.size() > Attention.LIMIT) ? new Section<>(fetched.subList(0, Attention.LIMIT), true)
					: new Section<>(fetched, false);
		}

		public String count() {
			return this.more ? "more than " + Attention.LIMIT : String.valueOf(this.items.size());
		}

	}

	@GetMapping("/")
	String home(Model model) {
		Section<Attention.Running> running = Section.of(this.attention.running());
		Section<Attention.Failed> failed = Section.of(this.attention.failed(LocalDateTime.now()));
		Section<Attention.PendingRestart> restarts = Section.of(this.attention.pendingRestarts());
		Section<Attention.SilentNode> nodes = Section.of(this.attention.silentNodes());
		model.addAttribute("running", running);
		model.addAttribute("failed", failed);
		model.addAttribute("restarts", restarts);
		model.addAttribute("silentNodes", nodes);
		model.addAttribute("heartbeatTimeout", this.attention.heartbeatTimeout());
		model.addAttribute("allWell", running.items().stream().allMatch(Attention.Running::nodeAlive)
				&& failed.items().isEmpty() && restarts.items().isEmpty() && nodes.items().isEmpty());
		return "dashboard/home";
	}

}
